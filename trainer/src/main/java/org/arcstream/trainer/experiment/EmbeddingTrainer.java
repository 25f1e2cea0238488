package org.arcstream.trainer.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.arcstream.trainer.graph.TrainableOnnxModel;
import org.arcstream.trainer.loss.MarginLoss;
import org.arcstream.trainer.optim.AdamW;
import org.arcstream.trainer.optim.Optimizer;

/**
 * Trains an embedding graph together with a class-weight matrix under one loss: shuffled mini-batches
 * (the last partial batch dropped, each image augmented as the settings say), AdamW with a cosine-decayed
 * learning rate, one optimizer step per batch.
 */
public final class EmbeddingTrainer {

    /** Progress after each epoch: its index (from 0) and its mean training loss. */
    public interface Listener {
        void epochDone(int epoch, double meanLoss);
    }

    private final TrainableOnnxModel model;
    private final NDArray classWeights;
    private final MarginLoss loss;
    private final TrainingSettings settings;

    /**
     * @param model        the embedding graph, its initializers the parameters
     * @param classWeights (classes, embedding size), trained alongside the graph; must require gradients
     */
    public EmbeddingTrainer(TrainableOnnxModel model, NDArray classWeights, MarginLoss loss, TrainingSettings settings) {
        this.model = model;
        this.classWeights = classWeights;
        this.loss = loss;
        this.settings = settings;
    }

    /** A (classes, dim) matrix of N(0, 1/dim) entries drawn from {@code seed}, ready for gradients. */
    public static NDArray initialClassWeights(NDManager manager, int classes, int dim, long seed) {
        Random random = new Random(seed);
        float[] values = new float[classes * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() / Math.sqrt(dim));
        }
        NDArray weights = manager.create(values, new Shape(classes, dim));
        weights.setRequiresGradient(true);
        return weights;
    }

    /** Runs all epochs over {@code images} (labels 0..classes-1) and returns each epoch's mean loss. */
    public double[] train(LabeledImages images, Listener listener) {
        int batch = settings.batchSize();
        int batchesPerEpoch = images.size() / batch;
        if (batchesPerEpoch == 0) {
            throw new IllegalArgumentException(images.size() + " training images do not fill one batch of " + batch);
        }
        List<Pair<String, NDArray>> parameters = new ArrayList<>(model.trainableParameters());
        parameters.add(new Pair<>("class_weights", classWeights));
        long totalSteps = (long) batchesPerEpoch * settings.epochs();
        Random shuffle = new Random(settings.seed() ^ 0x5DEECE66DL);
        // its own stream, so that augmentation leaves the batch order as it is without
        Random augment = new Random(settings.seed() ^ 0x2545F4914F6CDD1DL);
        double[] epochLoss = new double[settings.epochs()];
        NDManager manager = classWeights.getManager();
        try (Optimizer optimizer = new AdamW(parameters, settings.learningRate(), 0.9f, 0.999f, 1e-8f, settings.weightDecay())) {
            long step = 0;
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                int[] order = permutation(images.size(), shuffle);
                double sum = 0;
                for (int b = 0; b < batchesPerEpoch; b++, step++) {
                    int[] indices = Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                    optimizer.learningRate((float) (settings.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps))));
                    optimizer.zeroGradients();
                    try (NDManager stepManager = manager.newSubManager()) {
                        NDArray x = stepManager.create(images.batch(indices, settings.augmentation(), augment), new Shape(batch, 1, images.rows(), images.cols()));
                        NDArray labels = stepManager.create(images.labels(indices)).toType(DataType.INT64, false);
                        NDArray value;
                        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                            value = loss.loss(model.forward(x, true), classWeights, labels);
                            collector.backward(value);
                        }
                        float v = value.getFloat();
                        if (!Float.isFinite(v)) {
                            throw new IllegalStateException("training diverged: loss " + v + " at epoch " + (epoch + 1)
                                    + ", batch " + (b + 1) + "; lower the learning rate");
                        }
                        sum += v;
                        optimizer.step();
                    }
                }
                epochLoss[epoch] = sum / batchesPerEpoch;
                listener.epochDone(epoch, epochLoss[epoch]);
            }
        }
        return epochLoss;
    }

    /** Embeddings of every image, computed in inference mode in batches of {@code batch}. */
    public static float[][] embed(TrainableOnnxModel model, NDManager manager, LabeledImages images, int batch) {
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += batch) {
            int n = Math.min(batch, images.size() - from);
            int[] indices = new int[n];
            int first = from;
            Arrays.setAll(indices, i -> first + i);
            try (NDManager stepManager = manager.newSubManager()) {
                NDArray x = stepManager.create(images.batch(indices), new Shape(n, 1, images.rows(), images.cols()));
                NDArray y = model.forward(x, false);
                int dim = (int) y.getShape().get(1);
                float[] flat = y.toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[from + i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
        }
        return out;
    }

    /** The rows of a (classes, dim) array as Java arrays. */
    public static float[][] rows(NDArray matrix) {
        int rows = (int) matrix.getShape().get(0), cols = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    private static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
