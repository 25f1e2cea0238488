package org.arcstream.core.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocked, dimension-major layout of the exact scan against plain row-by-row dot products. */
class CentroidBlocksTest {

    @Test
    void everyRowScoresItsDotProductAndPaddingScoresZero() {
        Random random = new Random(3);
        int dimension = 37, count = 2 * CentroidBlocks.BLOCK + 5;
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            float[] row = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                row[d] = (float) random.nextGaussian();
            }
            rows.add(row);
        }
        CentroidBlocks blocks = CentroidBlocks.of(rows, dimension);
        assertEquals(3, blocks.blocks());
        float[] face = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            face[d] = (float) random.nextGaussian();
        }
        float[] scores = new float[CentroidBlocks.BLOCK];
        for (int b = 0; b < blocks.blocks(); b++) {
            blocks.scores(face, b, scores);
            for (int j = 0; j < CentroidBlocks.BLOCK; j++) {
                int r = b * CentroidBlocks.BLOCK + j;
                double expected = 0;
                if (r < count) {
                    for (int d = 0; d < dimension; d++) {
                        expected += (double) rows.get(r)[d] * face[d];
                    }
                }
                assertEquals(expected, scores[j], 1e-4, "row " + r);
            }
        }
        for (int r = 0; r < count; r++) {
            assertArrayEquals(rows.get(r), blocks.row(r), "row " + r);
        }
    }
}
