package org.arcstream.trainer.loss;

import static org.arcstream.trainer.loss.LossTestSupport.array;
import static org.arcstream.trainer.loss.LossTestSupport.labels;
import static org.arcstream.trainer.loss.LossTestSupport.lossAndGradients;
import static org.arcstream.trainer.loss.LossTestSupport.matrix;
import static org.arcstream.trainer.loss.LossTestSupport.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.arcstream.trainer.loss.LossTestSupport.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CosFaceAndSoftmaxLossTest {

    private NDManager manager;
    private final Random random = new Random(11);

    @BeforeEach
    void open() {
        manager = LossTestSupport.cpuManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void cosFaceMatchesClosedFormAndFiniteDifferences() {
        double[][] w = LossTestSupport.random(random, 4, 6);
        double[][] e = LossTestSupport.random(random, 5, 6);
        int[] y = {3, -1, 0, 1, 2};
        Reference ref = new Reference(Reference.Kind.COSFACE, 30, 0.35);
        CosFaceLoss loss = new CosFaceLoss(30, 0.35f);

        double[][] z = matrix(loss.logits(array(manager, e), array(manager, w), labels(manager, y)));
        assertTrue(maxAbsDiff(ref.logits(e, w, y), z) < 1e-6, "logits off by " + maxAbsDiff(ref.logits(e, w, y), z));
        Result r = lossAndGradients(loss, array(manager, e), array(manager, w), labels(manager, y));
        assertEquals(ref.loss(e, w, y), r.loss(), 1e-6);
        double[][] numeric = ref.numericGradient(e, w, y, true, 1e-6);
        assertTrue(maxAbsDiff(numeric, r.embeddingGradient()) < 1e-5, "off by " + maxAbsDiff(numeric, r.embeddingGradient()));
    }

    @Test
    void softmaxUsesRawDotProducts() {
        double[][] w = LossTestSupport.random(random, 3, 4);
        double[][] e = LossTestSupport.random(random, 6, 4);
        for (double[] row : e) {
            for (int k = 0; k < row.length; k++) {
                row[k] *= 3; // scale must show up: the softmax loss does not normalize
            }
        }
        int[] y = {0, 1, 2, -1, 1, 0};
        Reference ref = new Reference(Reference.Kind.SOFTMAX, 1, 0);
        Result r = lossAndGradients(new SoftmaxLoss(), array(manager, e), array(manager, w), labels(manager, y));
        assertEquals(ref.loss(e, w, y), r.loss(), 1e-9);
        double[][] numeric = ref.numericGradient(e, w, y, false, 1e-6);
        assertTrue(maxAbsDiff(numeric, r.weightGradient()) < 1e-6, "off by " + maxAbsDiff(numeric, r.weightGradient()));
    }
}
