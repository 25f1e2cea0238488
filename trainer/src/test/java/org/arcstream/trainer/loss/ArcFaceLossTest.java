package org.arcstream.trainer.loss;

import static org.arcstream.trainer.loss.LossTestSupport.allFinite;
import static org.arcstream.trainer.loss.LossTestSupport.array;
import static org.arcstream.trainer.loss.LossTestSupport.floatArray;
import static org.arcstream.trainer.loss.LossTestSupport.labels;
import static org.arcstream.trainer.loss.LossTestSupport.lossAndGradients;
import static org.arcstream.trainer.loss.LossTestSupport.matrix;
import static org.arcstream.trainer.loss.LossTestSupport.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.arcstream.trainer.loss.LossTestSupport.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArcFaceLossTest {

    private NDManager manager;
    private final Random random = new Random(7);

    @BeforeEach
    void open() {
        manager = LossTestSupport.cpuManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Row 3 points away from its class (cos about -0.95), so the beyond-pi fallback is exercised too. */
    private double[][] embeddingsWithOneOpposite(double[][] w, int[] labels) {
        double[][] e = LossTestSupport.random(random, labels.length, w[0].length);
        for (int k = 0; k < w[0].length; k++) {
            e[3][k] = -w[labels[3]][k] + 0.1 * e[3][k];
        }
        return e;
    }

    @Test
    void logitsAndLossMatchTheClosedForm() {
        double[][] w = LossTestSupport.random(random, 4, 8);
        int[] y = {0, 2, 1, 3, 2, -1};
        double[][] e = embeddingsWithOneOpposite(w, y);
        Reference ref = new Reference(Reference.Kind.ARCFACE, 64, 0.5);
        double[][] expected = ref.logits(e, w, y);
        double cos3 = expected[3][y[3]];
        assertTrue(cos3 < 64 * -Math.cos(0.5), "row 3 lies beyond pi - m: " + cos3 / 64);

        ArcFaceLoss loss = new ArcFaceLoss();
        double[][] actual = matrix(loss.logits(array(manager, e), array(manager, w), labels(manager, y)));
        assertTrue(maxAbsDiff(expected, actual) < 1e-9, "logits differ by " + maxAbsDiff(expected, actual));
        double value = loss.loss(array(manager, e), array(manager, w), labels(manager, y)).getDouble();
        assertEquals(ref.loss(e, w, y), value, 1e-9);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        double[][] w = LossTestSupport.random(random, 5, 6);
        int[] y = {4, 0, 1, 2, 3, -1, 0};
        double[][] e = embeddingsWithOneOpposite(w, y);
        Reference ref = new Reference(Reference.Kind.ARCFACE, 16, 0.5);

        Result r = lossAndGradients(new ArcFaceLoss(16, 0.5f, false), array(manager, e), array(manager, w), labels(manager, y));

        double[][] numericE = ref.numericGradient(e, w, y, true, 1e-6);
        double[][] numericW = ref.numericGradient(e, w, y, false, 1e-6);
        assertTrue(maxAbsDiff(numericE, r.embeddingGradient()) < 1e-6, "d/de off by " + maxAbsDiff(numericE, r.embeddingGradient()));
        assertTrue(maxAbsDiff(numericW, r.weightGradient()) < 1e-6, "d/dW off by " + maxAbsDiff(numericW, r.weightGradient()));
        // the ignored row gets no gradient, the others do
        assertTrue(java.util.Arrays.stream(r.embeddingGradient()[5]).allMatch(v -> v == 0));
        assertTrue(java.util.Arrays.stream(r.embeddingGradient()[0]).anyMatch(v -> Math.abs(v) > 1e-6));
    }

    @Test
    void zeroMarginIsNormalizedSoftmaxCrossEntropy() {
        double[][] w = LossTestSupport.random(random, 6, 5);
        int[] y = {5, 1, 0, 3, -1, 2, 2, 4};
        double[][] e = LossTestSupport.random(random, y.length, 5);
        double expected = new Reference(Reference.Kind.COSFACE, 30, 0).loss(e, w, y);
        double value = new ArcFaceLoss(30, 0, false).loss(array(manager, e), array(manager, w), labels(manager, y)).getDouble();
        assertEquals(expected, value, 1e-9);
        double margin = new ArcFaceLoss(30, 0.5f, false).loss(array(manager, e), array(manager, w), labels(manager, y)).getDouble();
        assertTrue(margin > value + 0.1, "a margin makes the task harder: " + margin + " vs " + value);
    }

    @Test
    void noNanWhereCosineIsPlusOrMinusOne() {
        double[][] w = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        // row 0 on its class, row 1 exactly opposite its class, row 2 on a wrong class, row 3 opposite a wrong class
        double[][] e = {{2, 0, 0}, {0, -3, 0}, {1, 0, 0}, {0, 0, -1}};
        int[] y = {0, 1, 2, 0};
        for (boolean easy : new boolean[] {false, true}) {
            Result r = lossAndGradients(new ArcFaceLoss(64, 0.5f, easy), floatArray(manager, e), floatArray(manager, w), labels(manager, y));
            assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
            assertTrue(allFinite(r.embeddingGradient()), "embedding gradient has NaN or infinity");
            assertTrue(allFinite(r.weightGradient()), "weight gradient has NaN or infinity");
            // row 1 is as wrong as it can be: it must still be pushed toward its class
            assertTrue(r.loss() > 1, "loss " + r.loss());
        }
        NDArray logits = new ArcFaceLoss().logits(floatArray(manager, e), floatArray(manager, w), labels(manager, y));
        double[][] z = matrix(logits);
        assertEquals(64 * Math.cos(0.5), z[0][0], 0.1, "cos = 1: target logit s*cos(m), up to the clamp");
        assertEquals(64 * (-1 - 0.5 * Math.sin(0.5)), z[1][1], 0.1, "cos = -1: fallback s*(cos - m sin m)");
    }

    @Test
    void targetLogitKeepsIncreasingWithCosineBeyondPiMinusMargin() {
        double[][] w = {{1, 0}};
        int steps = 720;
        double[][] e = new double[steps + 1][];
        for (int i = 0; i <= steps; i++) {
            double theta = Math.PI * i / steps;
            e[i] = new double[] {Math.cos(theta), Math.sin(theta)};
        }
        int[] y = new int[steps + 1];
        double[][] z = matrix(new ArcFaceLoss(1, 0.5f, false).logits(array(manager, e), array(manager, w), labels(manager, y)));
        for (int i = 1; i <= steps; i++) {
            assertTrue(z[i][0] <= z[i - 1][0], "target logit rises again at theta = " + Math.PI * i / steps);
        }
        // past the switch it is exactly the fallback, before it exactly cos(theta + m)
        double theta = Math.PI * 700 / steps;
        assertEquals(Math.cos(theta) - 0.5 * Math.sin(0.5), z[700][0], 1e-6);
        theta = Math.PI * 300 / steps;
        assertEquals(Math.cos(theta + 0.5), z[300][0], 1e-6);
    }

    @Test
    void easyMarginOnlyWherePositive() {
        double[][] w = {{1, 0}};
        double[][] e = {{Math.cos(0.3), Math.sin(0.3)}, {Math.cos(2.0), Math.sin(2.0)}, {Math.cos(3.0), Math.sin(3.0)}};
        int[] y = {0, 0, 0};
        double[][] easy = matrix(new ArcFaceLoss(10, 0.5f, true).logits(array(manager, e), array(manager, w), labels(manager, y)));
        assertEquals(10 * Math.cos(0.8), easy[0][0], 1e-9, "cos > 0: margin applied");
        assertEquals(10 * Math.cos(2.0), easy[1][0], 1e-9, "cos < 0: plain cosine");
        assertEquals(10 * Math.cos(3.0), easy[2][0], 1e-9, "cos < 0 beyond pi - m: plain cosine, no fallback");
        double[][] hard = matrix(new ArcFaceLoss(10, 0.5f, false).logits(array(manager, e), array(manager, w), labels(manager, y)));
        assertEquals(10 * Math.cos(2.5), hard[1][0], 1e-9, "without easy margin the margin applies at cos < 0");
    }

    @Test
    void degreesAreConverted() {
        ArcFaceLoss degrees = ArcFaceLoss.ofDegrees(64, 28.6f, false);
        assertEquals(0.4992, degrees.marginRadians(), 1e-4);
        double[][] w = LossTestSupport.random(random, 3, 4);
        double[][] e = LossTestSupport.random(random, 5, 4);
        int[] y = {0, 1, 2, 1, 0};
        double[][] z = matrix(degrees.logits(array(manager, e), array(manager, w), labels(manager, y)));
        double[][] expected = new Reference(Reference.Kind.ARCFACE, 64, Math.toRadians(28.6)).logits(e, w, y);
        assertTrue(maxAbsDiff(expected, z) < 1e-5, "off by " + maxAbsDiff(expected, z));
        assertThrows(IllegalArgumentException.class, () -> new ArcFaceLoss(64, 28.6f, false), "degrees passed as radians");
    }

    @Test
    void ignoredRowsDoNotCount() {
        double[][] w = LossTestSupport.random(random, 3, 4);
        double[][] e = LossTestSupport.random(random, 4, 4);
        ArcFaceLoss loss = new ArcFaceLoss(32, 0.5f, false);
        double withIgnored = loss.loss(array(manager, e), array(manager, w), labels(manager, new int[] {0, -1, 2, -1})).getDouble();
        double[][] kept = {e[0], e[2]};
        double alone = loss.loss(array(manager, kept), array(manager, w), labels(manager, new int[] {0, 2})).getDouble();
        assertEquals(alone, withIgnored, 1e-12);

        Result none = lossAndGradients(loss, array(manager, e), array(manager, w), labels(manager, new int[] {-1, -1, -1, -1}));
        assertEquals(0, none.loss(), 0.0);
        assertEquals(0, maxAbsDiff(none.weightGradient(), new double[3][4]));
    }

    @Test
    void badLabelsAndShapesAreRejected() {
        ArcFaceLoss loss = new ArcFaceLoss();
        NDArray w = manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 4));
        NDArray e = manager.randomNormal(new ai.djl.ndarray.types.Shape(2, 4));
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> loss.loss(e, w, labels(manager, new int[] {0, 3})));
        assertTrue(tooBig.getMessage().contains("label 3 at row 1"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.loss(e, w, labels(manager, new int[] {-2, 0})));
        assertThrows(IllegalArgumentException.class, () -> loss.loss(e, w, labels(manager, new int[] {0})));
        assertThrows(IllegalArgumentException.class,
                () -> loss.loss(e, manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 5)), labels(manager, new int[] {0, 1})));
        assertFalse(Double.isNaN(loss.loss(e, w, labels(manager, new int[] {0, 2})).getFloat()));
    }
}
