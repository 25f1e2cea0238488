package org.arcstream.core.match;

/** The dot product the matchers score with. */
final class Dot {

    private Dot() {}

    /**
     * {@code v} against the row of {@code matrix} starting at {@code offset}. Eight independent
     * accumulators let the JIT keep eight multiply-adds in flight; one accumulator would wait for each
     * addition to finish before the next, which halves the speed of a scan that otherwise runs at the
     * memory's rate.
     */
    static float dot(float[] matrix, int offset, float[] v) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = v.length, k = 0;
        for (; k + 7 < n; k += 8) {
            int o = offset + k;
            s0 += matrix[o] * v[k];
            s1 += matrix[o + 1] * v[k + 1];
            s2 += matrix[o + 2] * v[k + 2];
            s3 += matrix[o + 3] * v[k + 3];
            s4 += matrix[o + 4] * v[k + 4];
            s5 += matrix[o + 5] * v[k + 5];
            s6 += matrix[o + 6] * v[k + 6];
            s7 += matrix[o + 7] * v[k + 7];
        }
        for (; k < n; k++) {
            s0 += matrix[offset + k] * v[k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
