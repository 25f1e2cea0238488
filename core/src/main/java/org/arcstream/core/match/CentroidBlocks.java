package org.arcstream.core.match;

import java.util.Arrays;
import java.util.List;

/**
 * Centroid rows stored for a scan at the memory's rate: blocks of {@link #BLOCK} rows, each block
 * dimension-major (value d of its rows side by side). The scan of a block then adds
 * {@code row[j][d] * face[d]} into {@code BLOCK} separate sums, a loop without a reduction, which the
 * JIT of Java 17 turns into SIMD multiply-adds; a dot product row by row ends in one sum, which it
 * does not vectorize (floating-point addition is not associative). Immutable.
 */
final class CentroidBlocks {

    /** Rows per block: its sums (512 bytes) stay in the L1 cache next to the block's stream of values. */
    static final int BLOCK = 128;

    private final float[] values;
    private final int rows;
    private final int dimension;

    private CentroidBlocks(float[] values, int rows, int dimension) {
        this.values = values;
        this.rows = rows;
        this.dimension = dimension;
    }

    /** The rows (all of {@code dimension} values) in blocks; the last block is padded with zero rows. */
    static CentroidBlocks of(List<float[]> rows, int dimension) {
        int blocks = (rows.size() + BLOCK - 1) / BLOCK;
        long length = (long) blocks * BLOCK * dimension;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows.size() + " centroids of " + dimension + " values do not fit one array");
        }
        float[] values = new float[(int) length];
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            int base = (r / BLOCK) * BLOCK * dimension + r % BLOCK;
            for (int d = 0; d < dimension; d++) {
                values[base + d * BLOCK] = row[d];
            }
        }
        return new CentroidBlocks(values, rows.size(), dimension);
    }

    int rows() {
        return rows;
    }

    int blocks() {
        return (rows + BLOCK - 1) / BLOCK;
    }

    /** A copy of one row. */
    float[] row(int r) {
        float[] out = new float[dimension];
        int base = (r / BLOCK) * BLOCK * dimension + r % BLOCK;
        for (int d = 0; d < dimension; d++) {
            out[d] = values[base + d * BLOCK];
        }
        return out;
    }

    /** The dot products of {@code face} with the rows of one block into {@code scores} ({@link #BLOCK} long); padding rows score 0. */
    void scores(float[] face, int block, float[] scores) {
        Arrays.fill(scores, 0f);
        int base = block * BLOCK * dimension;
        for (int d = 0; d < dimension; d++) {
            float f = face[d];
            int o = base + d * BLOCK;
            for (int j = 0; j < BLOCK; j++) {
                scores[j] += values[o + j] * f;
            }
        }
    }
}
