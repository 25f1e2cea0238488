package org.arcstream.core.topics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A compact ROC curve of one evaluation set, as a model event carries it for plotting: true-accept rates
 * at rising false-accept rates (a log-spaced grid), of the model and, on the same pairs, of the model it
 * was trained from.
 *
 * @param far false-accept rates, rising, in (0, 1]; at most {@link #MAX_POINTS}
 * @param tar the model's true-accept rate at each false-accept rate, in [0, 1]
 * @param parentTar the parent model's true-accept rate at each false-accept rate on the same pairs; null when not known
 */
@JsonPropertyOrder({"far", "tar", "parent_tar"})
public record RocCurve(
        @JsonProperty("far") List<Double> far,
        @JsonProperty("tar") List<Double> tar,
        @JsonProperty("parent_tar") @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> parentTar) {

    /** Most points of one curve: enough for a smooth line on a chart, small enough for every model event. */
    public static final int MAX_POINTS = 64;

    public RocCurve {
        if (far == null || tar == null || far.isEmpty() || far.size() > MAX_POINTS) {
            throw new IllegalArgumentException("a ROC curve needs 1 to " + MAX_POINTS + " points");
        }
        if (tar.size() != far.size() || (parentTar != null && parentTar.size() != far.size())) {
            throw new IllegalArgumentException("a ROC curve needs as many true-accept rates as false-accept rates");
        }
        for (int i = 0; i < far.size(); i++) {
            double f = far.get(i);
            if (!(f > 0 && f <= 1) || (i > 0 && f <= far.get(i - 1))) {
                throw new IllegalArgumentException("false-accept rates must rise within (0, 1], got " + far);
            }
        }
        requireRates(tar);
        if (parentTar != null) {
            requireRates(parentTar);
        }
        far = List.copyOf(far);
        tar = List.copyOf(tar);
        parentTar = parentTar == null ? null : List.copyOf(parentTar);
    }

    private static void requireRates(List<Double> rates) {
        for (Double r : rates) {
            if (r == null || !(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("true-accept rates must lie in [0, 1], got " + r);
            }
        }
    }
}
