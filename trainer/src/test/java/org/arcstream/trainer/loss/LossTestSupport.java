package org.arcstream.trainer.loss;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;

/** Array conversions and a backward pass shared by the loss tests. */
final class LossTestSupport {

    private LossTestSupport() {}

    static NDManager cpuManager() {
        return Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
    }

    static double[][] random(Random random, int rows, int cols) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int k = 0; k < cols; k++) {
                row[k] = random.nextGaussian();
            }
        }
        return x;
    }

    static NDArray array(NDManager manager, double[][] x) {
        double[] flat = new double[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * x[0].length, x[0].length);
        }
        return manager.create(flat, new Shape(x.length, x[0].length));
    }

    static NDArray floatArray(NDManager manager, double[][] x) {
        return array(manager, x).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    }

    static NDArray labels(NDManager manager, int[] labels) {
        return manager.create(labels);
    }

    static double[][] matrix(NDArray a) {
        double[] flat = a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        double[][] x = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, x[i], 0, cols);
        }
        return x;
    }

    /** Loss value and gradients with respect to embeddings and class weights. */
    record Result(double loss, double[][] embeddingGradient, double[][] weightGradient) {}

    static Result lossAndGradients(MarginLoss loss, NDArray e, NDArray w, NDArray labels) {
        e.setRequiresGradient(true);
        w.setRequiresGradient(true);
        double value;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray l = loss.loss(e, w, labels);
            value = l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            collector.backward(l);
        }
        return new Result(value, matrix(e.getGradient()), matrix(w.getGradient()));
    }

    static double maxAbsDiff(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                max = Math.max(max, Math.abs(a[i][k] - b[i][k]));
            }
        }
        return max;
    }

    static boolean allFinite(double[][] a) {
        for (double[] row : a) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
