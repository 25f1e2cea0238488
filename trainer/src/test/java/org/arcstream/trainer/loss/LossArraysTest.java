package org.arcstream.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A training step keeps the class weights on a long-lived manager and everything else in a step's sub-manager:
 * the loss must leave nothing behind on the weights' manager (it used to leave one to six arrays per step, which
 * grew a long run's native memory without bound), and the gradients must still reach the weights.
 */
class LossArraysTest {

    private static final int[] LABELS = {0, 2, -1, 1};

    @Test
    void everyLossLeavesNoArrayOnTheClassWeightsManagerAndItsGradientsAreUnchanged() {
        Random random = new Random(5);
        double[][] e = LossTestSupport.random(random, LABELS.length, 3);
        double[][] w = LossTestSupport.random(random, 3, 3);
        for (MarginLoss loss : List.of(new ArcFaceLoss(30, 0.5f, ArcFaceLoss.Variant.ALGORITHM_1), new ArcFaceLoss(),
                new CosFaceLoss(30, 0.35f), new SoftmaxLoss())) {
            try (NDManager run = LossTestSupport.cpuManager()) {
                NDArray weights = LossTestSupport.array(run, w);
                weights.setRequiresGradient(true);
                int before = run.getManagedArrays().size();
                double[][] gradient;
                for (int step = 0; step < 3; step++) {
                    try (NDManager scope = run.newSubManager()) {
                        NDArray embeddings = LossTestSupport.array(scope, e);
                        embeddings.setRequiresGradient(true);
                        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                            collector.backward(loss.loss(embeddings, weights, LossTestSupport.labels(scope, LABELS)));
                        }
                    }
                    assertEquals(before, run.getManagedArrays().size(), loss + ": arrays left on the weights' manager after step " + (step + 1));
                }
                // three accumulated backward passes through the view equal three times one pass on a single manager
                gradient = LossTestSupport.matrix(weights.getGradient());
                try (NDManager single = LossTestSupport.cpuManager()) {
                    LossTestSupport.Result reference = LossTestSupport.lossAndGradients(loss, LossTestSupport.array(single, e),
                            LossTestSupport.array(single, w), LossTestSupport.labels(single, LABELS));
                    double[][] tripled = new double[w.length][w[0].length];
                    for (int i = 0; i < w.length; i++) {
                        for (int k = 0; k < w[0].length; k++) {
                            tripled[i][k] = 3 * reference.weightGradient()[i][k];
                        }
                    }
                    assertTrue(LossTestSupport.maxAbsDiff(tripled, gradient) < 1e-9, loss + ": class weight gradient differs");
                    assertTrue(LossTestSupport.maxAbsDiff(tripled, new double[w.length][w[0].length]) > 1e-3, loss + ": no gradient");
                }
            }
        }
    }
}
