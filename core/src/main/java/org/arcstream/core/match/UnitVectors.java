package org.arcstream.core.match;

import java.util.Locale;
import java.util.Optional;

/**
 * The one rule every embedding and centroid that reaches the matcher must pass: finite values and an
 * L2 norm of 1. A single NaN turns every score it touches into NaN, and an all-zero vector scores 0
 * against everything, so either would silently corrupt a centroid or the scores of every face;
 * records carrying them are refused where they enter instead.
 */
public final class UnitVectors {

    /**
     * How far an L2 norm may lie from 1. Normalized float vectors are within about 1e-6 of it; 1 %
     * accepts any writer that normalized at all and refuses raw model outputs, whose norms are far off.
     */
    public static final double NORM_TOLERANCE = 0.01;

    private UnitVectors() {}

    /** Why {@code v} cannot be matched with (e.g. "has a NaN value at index 3"), or empty when it can. */
    public static Optional<String> defect(float[] v) {
        if (v == null || v.length == 0) {
            return Optional.of("is empty");
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return Optional.of("has " + (Float.isNaN(v[i]) ? "a NaN" : "an infinite") + " value at index " + i);
            }
            sum += (double) v[i] * v[i];
        }
        if (sum == 0) {
            return Optional.of("is all zeros");
        }
        double norm = Math.sqrt(sum);
        if (Math.abs(norm - 1) > NORM_TOLERANCE) {
            return Optional.of(String.format(Locale.ROOT, "has L2 norm %.4g, not 1 (it is not normalized)", norm));
        }
        return Optional.empty();
    }
}
