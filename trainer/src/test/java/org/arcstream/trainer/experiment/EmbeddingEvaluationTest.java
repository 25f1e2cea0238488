package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.arcstream.core.eval.Verification;
import org.junit.jupiter.api.Test;

class EmbeddingEvaluationTest {

    @Test
    void dotAndCosineHeadsDecideDifferentlyWhenClassRowsDifferInLength() {
        // class 0 has a long row at 60 degrees, class 1 a short row along the point
        float[][] weights = {{5f, 8.66f}, {1f, 0f}};
        float[][] points = {{1f, 0f}};
        assertEquals(0.0, EmbeddingEvaluation.accuracy(points, new int[] {1}, weights, EmbeddingEvaluation.Head.DOT));
        assertEquals(1.0, EmbeddingEvaluation.accuracy(points, new int[] {1}, weights, EmbeddingEvaluation.Head.COSINE));
    }

    @Test
    void verificationUsesCosineOfAllPairs() {
        // two angular clusters at very different radii: cosine separates them, a dot product would not (10 * 0.1 > 3 * 0.2)
        float[][] points = {{10f, 0.1f}, {0.5f, 0f}, {0f, 3f}, {0.1f, 0.2f}};
        int[] labels = {0, 0, 1, 1};
        Verification v = EmbeddingEvaluation.verification(points, labels);
        assertEquals(6, v.pairs());
        assertEquals(2, v.positives());
        assertEquals(1.0, v.auc(), 1e-12);

    }
}
