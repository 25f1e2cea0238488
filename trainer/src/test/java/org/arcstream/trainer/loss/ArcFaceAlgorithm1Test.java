package org.arcstream.trainer.loss;

import static org.arcstream.trainer.loss.LossTestSupport.allFinite;
import static org.arcstream.trainer.loss.LossTestSupport.array;
import static org.arcstream.trainer.loss.LossTestSupport.floatArray;
import static org.arcstream.trainer.loss.LossTestSupport.labels;
import static org.arcstream.trainer.loss.LossTestSupport.lossAndGradients;
import static org.arcstream.trainer.loss.LossTestSupport.matrix;
import static org.arcstream.trainer.loss.LossTestSupport.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.arcstream.trainer.loss.ArcFaceLoss.Variant;
import org.arcstream.trainer.loss.LossTestSupport.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per step of the ArcFace paper's Algorithm 1, the loss the softmax vs ArcFace experiment trains with. */
class ArcFaceAlgorithm1Test {

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

    private static ArcFaceLoss loss(float scale) {
        return new ArcFaceLoss(scale, 0.5f, Variant.ALGORITHM_1);
    }

    private double[][] logits(float scale, double[][] e, double[][] w, int[] y) {
        return matrix(loss(scale).logits(array(manager, e), array(manager, w), labels(manager, y)));
    }

    @Test
    void logitsLossAndGradientsMatchTheAlgorithmWrittenOut() {
        double[][] w = LossTestSupport.random(random, 5, 6);
        int[] y = {4, 0, 1, 2, 3, -1, 0};
        double[][] e = LossTestSupport.random(random, y.length, 6);
        Reference ref = new Reference(Reference.Kind.ARCFACE_ALGORITHM_1, 30, 0.5);
        assertTrue(maxAbsDiff(ref.logits(e, w, y), logits(30, e, w, y)) < 1e-9);
        Result r = lossAndGradients(loss(30), array(manager, e), array(manager, w), labels(manager, y));
        assertEquals(ref.loss(e, w, y), r.loss(), 1e-9);
        assertTrue(maxAbsDiff(ref.numericGradient(e, w, y, true, 1e-6), r.embeddingGradient()) < 1e-6);
        assertTrue(maxAbsDiff(ref.numericGradient(e, w, y, false, 1e-6), r.weightGradient()) < 1e-6);
    }

    /** Steps 1 and 2: features and class weights are L2-normalized, so their lengths do not matter. */
    @Test
    void featuresAndClassWeightsAreNormalized() {
        double[][] w = LossTestSupport.random(random, 4, 5);
        int[] y = {0, 3, 2};
        double[][] e = LossTestSupport.random(random, y.length, 5);
        double[][] longer = Arrays.stream(e).map(row -> Arrays.stream(row).map(v -> 7 * v).toArray()).toArray(double[][]::new);
        double[][] shorter = Arrays.stream(w).map(row -> Arrays.stream(row).map(v -> 0.2 * v).toArray()).toArray(double[][]::new);
        assertTrue(maxAbsDiff(logits(1, e, w, y), logits(1, longer, shorter, y)) < 1e-12);
        // every non-target logit is the plain cosine
        double cos = dot(e[0], w[1]) / Math.sqrt(dot(e[0], e[0]) * dot(w[1], w[1]));
        assertEquals(cos, logits(1, e, w, y)[0][1], 1e-12);
    }

    /** Step 3: a feature exactly on its class weight (cos = 1) or opposite (cos = -1) keeps arccos's gradient finite. */
    @Test
    void cosinesAreClippedBeforeArccos() {
        double[][] w = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] e = {{2, 0, 0}, {0, -3, 0}, {0, 0, 1}};
        int[] y = {0, 1, 1};
        Result r = lossAndGradients(loss(64), floatArray(manager, e), floatArray(manager, w), labels(manager, y));
        assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
        assertTrue(allFinite(r.embeddingGradient()), "embedding gradient: " + Arrays.deepToString(r.embeddingGradient()));
        assertTrue(allFinite(r.weightGradient()), "weight gradient: " + Arrays.deepToString(r.weightGradient()));
        double[][] z = matrix(loss(1).logits(floatArray(manager, e), floatArray(manager, w), labels(manager, y)));
        assertEquals(Math.cos(Math.acos(1 - ArcFaceLoss.EPS) + 0.5), z[0][0], 1e-4, "cos = 1 becomes 1 - eps");
        assertEquals(Math.cos(Math.acos(-1 + ArcFaceLoss.EPS) + 0.5), z[1][1], 1e-4, "cos = -1 becomes -1 + eps");
    }

    /** Steps 4 and 5: theta + m on the true class only; the other logits of the row stay cos(theta). */
    @Test
    void marginOnlyOnTheTrueClass() {
        double[][] w = LossTestSupport.random(random, 4, 3);
        double[][] e = LossTestSupport.random(random, 1, 3);
        double[][] plain = logits(1, e, w, new int[] {-1});
        for (int label = 0; label < 4; label++) {
            double[][] z = logits(1, e, w, new int[] {label});
            for (int j = 0; j < 4; j++) {
                double expected = j == label ? Math.cos(Math.acos(plain[0][j]) + 0.5) : plain[0][j];
                assertEquals(expected, z[0][j], 1e-9, "label " + label + ", class " + j);
            }
        }
    }

    /** Step 5 as the paper writes it: cos(theta + m) also where theta + m passes pi (no fallback, no easy margin). */
    @Test
    void marginAppliesAtEveryAngle() {
        double[][] w = {{1, 0}};
        double[][] e = {{Math.cos(3.0), Math.sin(3.0)}, {Math.cos(2.0), Math.sin(2.0)}, {Math.cos(0.3), Math.sin(0.3)}};
        double[][] z = logits(1, e, w, new int[] {0, 0, 0});
        assertEquals(Math.cos(3.5), z[0][0], 1e-9, "theta + m > pi");
        assertEquals(Math.cos(2.5), z[1][0], 1e-9, "obtuse angle");
        assertEquals(Math.cos(0.8), z[2][0], 1e-9);
    }

    /** Step 6: the scale multiplies every logit, the target's after its margin and the others alike. */
    @Test
    void scaleMultipliesEveryLogit() {
        double[][] w = LossTestSupport.random(random, 3, 4);
        int[] y = {2, 0};
        double[][] e = LossTestSupport.random(random, y.length, 4);
        double[][] one = logits(1, e, w, y), big = logits(64, e, w, y);
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(64 * one[i][j], big[i][j], 1e-9);
            }
        }
    }

    /** Label -1: no margin, no loss, no gradient from that row; the mean runs over the labelled rows. */
    @Test
    void rowsLabelledMinusOneAreIgnored() {
        double[][] w = LossTestSupport.random(random, 3, 4);
        double[][] e = LossTestSupport.random(random, 4, 4);
        int[] y = {0, -1, 2, -1};
        Result r = lossAndGradients(loss(30), array(manager, e), array(manager, w), labels(manager, y));
        double alone = loss(30).loss(array(manager, new double[][] {e[0], e[2]}), array(manager, w), labels(manager, new int[] {0, 2})).getDouble();
        assertEquals(alone, r.loss(), 1e-12);
        assertTrue(Arrays.stream(r.embeddingGradient()[1]).allMatch(v -> v == 0));
        assertTrue(Arrays.stream(r.embeddingGradient()[3]).allMatch(v -> v == 0));
        assertTrue(Arrays.stream(r.embeddingGradient()[0]).anyMatch(v -> Math.abs(v) > 1e-6));
        double[][] z = logits(1, e, w, y), plain = logits(1, e, w, new int[] {-1, -1, -1, -1});
        assertTrue(maxAbsDiff(new double[][] {z[1], z[3]}, new double[][] {plain[1], plain[3]}) == 0, "ignored rows get no margin");

        Result none = lossAndGradients(loss(30), array(manager, e), array(manager, w), labels(manager, new int[] {-1, -1, -1, -1}));
        assertEquals(0, none.loss(), 0.0);
        assertEquals(0, maxAbsDiff(none.weightGradient(), new double[3][4]));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
