package org.arcstream.core.match;

import java.util.Arrays;
import java.util.List;
import org.arcstream.core.embed.Embeddings;

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

    /**
     * One array per block: a million rows in one array would be 2 GB, which the collector must find in one
     * contiguous stretch of the heap; with the gallery's own rows around it, that failed now and then in 6 GB.
     */
    private final float[][] values;
    private final int rows;
    private final int dimension;

    private CentroidBlocks(float[][] values, int rows, int dimension) {
        this.values = values;
        this.rows = rows;
        this.dimension = dimension;
    }

    /** The rows (all of {@code dimension} values) in blocks; the last block is padded with zero rows. */
    static CentroidBlocks of(List<float[]> rows, int dimension) {
        return of(rows, dimension, false);
    }

    /**
     * {@link #of} with each row scaled to unit length on its way in, as {@link Embeddings#normalize} does: no
     * normalized copy of every row beside the blocks (a million 512-float rows are 2 GB).
     */
    static CentroidBlocks normalized(List<float[]> rows, int dimension) {
        return of(rows, dimension, true);
    }

    private static CentroidBlocks of(List<float[]> rows, int dimension, boolean normalize) {
        float[][] values = new float[(rows.size() + BLOCK - 1) / BLOCK][BLOCK * dimension];
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            float scale = normalize ? inverseNorm(row) : 1;
            float[] block = values[r / BLOCK];
            for (int d = 0, o = r % BLOCK; d < dimension; d++, o += BLOCK) {
                block[o] = normalize ? row[d] * scale : row[d];
            }
        }
        return new CentroidBlocks(values, rows.size(), dimension);
    }

    /** The factor {@link Embeddings#normalize} scales a vector by (1 for an all-zero one), computed the same way. */
    private static float inverseNorm(float[] row) {
        double sum = 0;
        for (float x : row) {
            sum += (double) x * x;
        }
        return sum > 0 ? (float) (1 / Math.sqrt(sum)) : 1;
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
        float[] block = values[r / BLOCK];
        for (int d = 0, o = r % BLOCK; d < dimension; d++, o += BLOCK) {
            out[d] = block[o];
        }
        return out;
    }

    /** The dot products of {@code face} with the rows of one block into {@code scores} ({@link #BLOCK} long); padding rows score 0. */
    void scores(float[] face, int block, float[] scores) {
        Arrays.fill(scores, 0f);
        float[] v = values[block];
        for (int d = 0; d < dimension; d++) {
            float f = face[d];
            int o = d * BLOCK;
            for (int j = 0; j < BLOCK; j++) {
                scores[j] += v[o + j] * f;
            }
        }
    }
}
