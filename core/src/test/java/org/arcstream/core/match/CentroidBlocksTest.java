package org.arcstream.core.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arcstream.core.embed.Embeddings;
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

    /**
     * A million rows in one array would be 2 GB, which the heap must find in one contiguous stretch: in 6 GB,
     * beside the gallery's own rows, that failed now and then.
     */
    @Test
    void noArrayGrowsWithTheNumberOfRows() throws ReflectiveOperationException {
        int dimension = 8;
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < 3 * CentroidBlocks.BLOCK + 1; r++) {
            rows.add(new float[dimension]);
        }
        Field values = CentroidBlocks.class.getDeclaredField("values");
        values.setAccessible(true);
        float[][] blocks = assertInstanceOf(float[][].class, values.get(CentroidBlocks.of(rows, dimension)));
        assertEquals(4, blocks.length);
        for (float[] block : blocks) {
            assertEquals(CentroidBlocks.BLOCK * dimension, block.length);
        }
    }

    @Test
    void normalizedRowsAreTheUnitVectorsAndTheGivenRowsStayAsTheyWere() {
        Random random = new Random(5);
        int dimension = 19;
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < CentroidBlocks.BLOCK + 3; r++) {
            float[] row = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                row[d] = (float) random.nextGaussian() * 3;
            }
            rows.add(row);
        }
        rows.add(new float[dimension]);
        List<float[]> before = rows.stream().map(float[]::clone).toList();
        CentroidBlocks blocks = CentroidBlocks.normalized(rows, dimension);
        for (int r = 0; r < rows.size(); r++) {
            assertArrayEquals(Embeddings.normalize(before.get(r).clone()), blocks.row(r), "row " + r);
            assertArrayEquals(before.get(r), rows.get(r), "row " + r + " given");
        }
    }
}
