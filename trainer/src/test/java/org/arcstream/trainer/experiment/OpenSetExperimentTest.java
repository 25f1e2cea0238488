package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures of given embeddings: which test images count as seen, held out and plotted. */
class OpenSetExperimentTest {

    /** Classes 0..4 with 4 test images each; classes 1 and 3 held out, so seen 0, 2, 4 become 0, 1, 2. */
    private static final OpenSetSplit SPLIT = OpenSetSplit.holdingOut(List.of(1, 3), 5);
    private static final int[] TEST_LABELS = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4};

    private static OpenSetExperiment.Data data() {
        LabeledImages test = new LabeledImages(4, 4, new byte[TEST_LABELS.length * 16], TEST_LABELS);
        return new OpenSetExperiment.Data(SPLIT.seenOf(test), test, SPLIT);
    }

    private static OpenSetExperiment.Result measure(float[][] embeddings, float[][] classWeights, LossKind kind) {
        return OpenSetExperiment.measure(kind, data(), embeddings, classWeights,
                new OpenSetExperiment.Sampling(100, 2, 1), new double[] {1.5}, 2.0);
    }

    /** Seen class k along axis k (scaled by {@code scale[k]}); held-out classes 1 and 3 along {@code held}. */
    private static float[][] embeddings(float[] scale, float[][] held) {
        float[][] out = new float[TEST_LABELS.length][];
        for (int i = 0; i < out.length; i++) {
            int label = TEST_LABELS[i];
            if (label == 1 || label == 3) {
                out[i] = held[label == 1 ? 0 : 1].clone();
            } else {
                out[i] = new float[3];
                out[i][label / 2] = scale[label / 2];
            }
        }
        return out;
    }

    @Test
    void seenClassesAreScoredAgainstTheirRenumberedWeightsAndHeldOutClassesByPairs() {
        float[][] identity = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] separated = {{1, 1, 0}, {0, 1, 1}};
        OpenSetExperiment.Result r = measure(embeddings(new float[] {1, 1, 1}, separated), identity, LossKind.ARCFACE);
        assertEquals(1.0, r.testAccuracy());
        assertEquals(1.0, r.openSetAuc(), 1e-12);
        assertEquals(1.0, r.closedSetAuc(), 1e-12);
        assertEquals(8 * 7 / 2, r.openSetPairs(), "all pairs of the 8 held-out test images");
        assertEquals(12 * 11 / 2, r.closedSetPairs());

        float[][] mixed = {{1, 1, 0}, {1, 1, 0}};
        assertEquals(0.5, measure(embeddings(new float[] {1, 1, 1}, mixed), identity, LossKind.ARCFACE).openSetAuc(), 1e-12,
                "held-out classes that share one embedding cannot be told apart");
    }

    @Test
    void softmaxHeadUsesLogitsAndArcFaceHeadCosines() {
        // class row 0 is long: by dot product it wins the images of seen class 1 (embedding along axis 1, short)
        float[][] weights = {{10, 2, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] held = {{1, 1, 0}, {0, 1, 1}};
        float[][] embeddings = embeddings(new float[] {1, 1, 1}, held);
        assertEquals(1.0, measure(embeddings, weights, LossKind.ARCFACE).testAccuracy());
        assertEquals(2.0 / 3, measure(embeddings, weights, LossKind.SOFTMAX).testAccuracy(), 1e-12);
    }

    @Test
    void plotTakesUnitLengthPointsOfEveryClassUpToTheLimit() {
        float[][] identity = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        OpenSetExperiment.Result r = measure(embeddings(new float[] {3, 5, 7}, new float[][] {{2, 0, 0}, {0, 0, 4}}), identity, LossKind.SOFTMAX);
        assertEquals(10, r.plotPoints().length, "2 per class of 5");
        int[] perClass = new int[5];
        for (int i = 0; i < r.plotPoints().length; i++) {
            perClass[r.plotClasses()[i]]++;
            float[] p = r.plotPoints()[i];
            assertEquals(1.0, Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 1e-6);
        }
        for (int c = 0; c < 5; c++) {
            assertEquals(2, perClass[c], "class " + c);
        }
        assertTrue(r.plotClasses().length == r.plotPoints().length);
    }
}
