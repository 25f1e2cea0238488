package org.arcstream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Optimizer updates against hand-computed values on f(w) = sum(c * w^2 / 2), whose gradient is c * w. */
class OptimizerTest {

    private static final double[] C = {1, 2, -3};
    private NDManager manager;
    private NDArray w;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        w = manager.create(new double[] {1, -2, 0.5});
        w.setRequiresGradient(true);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private void backward() {
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray c = step.create(C);
            collector.backward(w.square().mul(c).sum().div(2));
        }
    }

    private List<Pair<String, NDArray>> params() {
        return List.of(new Pair<>("w", w));
    }

    @Test
    void gradientsAccumulateUnlessZeroed() {
        try (Optimizer sgd = new Sgd(params(), 0.1f, 0, 0)) {
            backward();
            backward();
            assertArrayEquals(new double[] {2, -8, -3}, w.getGradient().toDoubleArray(), 1e-12, "two passes add up");
            sgd.zeroGradients();
            backward();
            assertArrayEquals(new double[] {1, -4, -1.5}, w.getGradient().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void zeroingClearsNaN() {
        try (Optimizer sgd = new Sgd(params(), 0.1f, 0, 0)) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(w.mul(Double.NaN).sum());
            }
            sgd.zeroGradients();
            assertArrayEquals(new double[3], w.getGradient().toDoubleArray(), 0);
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        double[] x = {1, -2, 0.5};
        double[] v = new double[3];
        try (Optimizer sgd = new Sgd(params(), (float) lr, (float) mu, (float) wd)) {
            for (int step = 0; step < 3; step++) {
                sgd.zeroGradients();
                backward();
                sgd.step();
                for (int i = 0; i < 3; i++) {
                    double g = C[i] * x[i] + wd * x[i];
                    v[i] = step == 0 ? g : mu * v[i] + g;
                    x[i] -= lr * v[i];
                }
                assertArrayEquals(x, w.toDoubleArray(), 1e-6, "after step " + (step + 1));
            }
        }
    }

    @Test
    void adamWWithDecoupledWeightDecay() {
        double lr = 0.05;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.1;
        double[] x = {1, -2, 0.5};
        double[] m = new double[3];
        double[] s = new double[3];
        try (Optimizer adam = new AdamW(params(), (float) lr, (float) b1, (float) b2, (float) eps, (float) wd)) {
            for (int t = 1; t <= 3; t++) {
                adam.zeroGradients();
                backward();
                adam.step();
                for (int i = 0; i < 3; i++) {
                    double g = C[i] * x[i];
                    x[i] -= lr * wd * x[i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    s[i] = b2 * s[i] + (1 - b2) * g * g;
                    x[i] -= lr * (m[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(s[i] / (1 - Math.pow(b2, t))) + eps);
                }
                assertArrayEquals(x, w.toDoubleArray(), 1e-6, "after step " + t);
            }
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(), 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(), 0.1f, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(), 0.1f));
        NDArray frozen = manager.create(new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(new Pair<>("frozen", frozen)), 0.1f));
    }
}
