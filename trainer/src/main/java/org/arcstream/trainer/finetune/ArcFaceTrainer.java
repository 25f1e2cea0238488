package org.arcstream.trainer.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;
import org.arcstream.trainer.augment.CropAugmenter;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.graph.TrainableOnnxModel;
import org.arcstream.trainer.graph.TrainingDevice;
import org.arcstream.trainer.loss.ArcFaceLoss;
import org.arcstream.trainer.optim.AdamW;
import org.arcstream.trainer.optim.Optimizer;
import org.arcstream.trainer.optim.Sgd;

/**
 * The training loop: the ONNX graph runs on DJL's PyTorch engine with autograd, ArcFace loss against
 * one trainable weight vector per identity (initialized from the identities' centroids, so the first
 * steps refine rather than relearn), random mirror flips, the settings' augmentation of each training crop in each
 * epoch, and the fine-tuned graph written back as ONNX.
 */
public final class ArcFaceTrainer {

    private ArcFaceTrainer() {}

    /**
     * @param model an ONNX model whose batch dimension is dynamic
     * @param identities class index to identity; every training crop's identity is among them
     * @param initialWeights one row per identity (its centroid under the current model)
     * @param preprocessing how crops become the model's input: the model's own, as its metadata states it
     */
    public static TrainingCurves train(Path model, List<LabeledCrop> training, List<String> identities, float[][] initialWeights,
            Preprocessing preprocessing, FineTuneSettings settings, TrainingProgress progress, Path output) {
        Map<String, Integer> classOf = new java.util.HashMap<>();
        for (int i = 0; i < identities.size(); i++) {
            classOf.put(identities.get(i), i);
        }
        int batch = Math.min(settings.batchSize(), training.size());
        int stepsPerEpoch = training.size() / batch;
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("not enough training images (" + training.size() + ") for one batch");
        }
        int totalSteps = stepsPerEpoch * settings.epochs();
        double[] stepLoss = new double[totalSteps], stepAccuracy = new double[totalSteps];
        double[] epochLoss = new double[settings.epochs()], epochAccuracy = new double[settings.epochs()];
        java.util.Arrays.fill(stepLoss, Double.NaN);
        java.util.Arrays.fill(stepAccuracy, Double.NaN);
        java.util.Arrays.fill(epochLoss, Double.NaN);
        java.util.Arrays.fill(epochAccuracy, Double.NaN);
        Random random = new Random(settings.seed());
        int size = training.get(0).crop().width();
        long samples = 0, started = System.nanoTime();
        int step = 0;
        long warmupNanos = 0;
        try (NDManager manager = TrainingDevice.newManager("auto");
                TrainableOnnxModel graph = TrainableOnnxModel.load(model, manager)) {
            // PyTorch's grad mode is per thread and starts enabled on a new thread (the service's run
            // thread): the optimizers' in-place updates of the parameters need it off outside the collector
            JniUtils.setGradMode(false);
            graph.freezeAllButLast(settings.trainLastInitializers());
            NDArray weights = manager.create(flatten(initialWeights), new Shape(initialWeights.length, initialWeights[0].length));
            weights.setRequiresGradient(true);
            List<Pair<String, NDArray>> parameters = new ArrayList<>(graph.trainableParameters());
            parameters.add(new Pair<>("arcface.class_weights", weights));
            Optimizer optimizer = optimizer(settings, parameters);
            ArcFaceLoss loss = new ArcFaceLoss((float) settings.arcScale(), (float) settings.arcMarginRadians(), false);
            // with only the last layers training, the frozen ones run once per view instead of once per epoch; an
            // augmented view is new in every epoch, so there is nothing to keep
            CropAugmenter augmenter = settings.augmentation().isNone() ? null : new CropAugmenter(settings.augmentation(), settings.seed());
            TrainableOnnxModel.Prefix prefix = augmenter != null ? null : graph.frozenPrefix();
            PrefixCache cache = prefix == null ? null : new PrefixCache(graph, prefix, training, preprocessing);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < training.size(); i++) {
                order.add(i);
            }
            training:
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                Collections.shuffle(order, random);
                double lossSum = 0, accuracySum = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int[] crops = new int[batch];
                    boolean[] mirrored = new boolean[batch];
                    long[] labels = new long[batch];
                    for (int b = 0; b < batch; b++) {
                        crops[b] = order.get(s * batch + b);
                        mirrored[b] = random.nextBoolean();
                        labels[b] = classOf.get(training.get(crops[b]).identity());
                    }
                    double lossValue, accuracy;
                    try (NDManager scope = manager.newSubManager()) {
                        Map<String, NDArray> cached = cache == null ? null : cache.batch(crops, mirrored, scope);
                        NDArray x = cache != null ? null : scope.create(pixels(training, crops, mirrored, augmenter, epoch, preprocessing, size),
                                new Shape(batch, 3, size, size));
                        NDArray y = scope.create(labels);
                        NDArray embeddings;
                        NDArray value;
                        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                            embeddings = cache != null ? graph.forwardFrom(prefix, cached, true) : graph.forward(x, true);
                            value = loss.loss(embeddings, weights, y);
                            collector.backward(value);
                        }
                        lossValue = value.getFloat();
                        // a detached copy of the long-lived weights belongs to their manager: the step's scope frees it
                        NDArray frozenWeights = weights.stopGradient();
                        frozenWeights.attach(scope);
                        accuracy = accuracy(embeddings.stopGradient(), frozenWeights, y);
                        if (Double.isFinite(lossValue)) {
                            optimizer.step();
                        }
                        optimizer.zeroGradients();
                    }
                    stepLoss[step] = lossValue;
                    stepAccuracy[step] = accuracy;
                    lossSum += lossValue;
                    accuracySum += accuracy;
                    samples += batch;
                    step++;
                    if (step == 1) {
                        // the first step pays for PyTorch's warm-up: throughput counts the steps after it
                        warmupNanos = System.nanoTime() - started;
                    }
                    progress.step(epoch + 1, settings.epochs(), step, totalSteps, lossValue, accuracy);
                    if (!Double.isFinite(lossValue)) {
                        // the run has diverged; the gate will judge the model as it stands
                        epochLoss[epoch] = Double.NaN;
                        break training;
                    }
                }
                epochLoss[epoch] = lossSum / stepsPerEpoch;
                epochAccuracy[epoch] = accuracySum / stepsPerEpoch;
            }
            optimizer.close();
            graph.save(output);
        }
        long trainedSamples = step > 1 ? samples - batch : samples;
        double seconds = (System.nanoTime() - started - (step > 1 ? warmupNanos : 0)) / 1e9;
        return new TrainingCurves(stepLoss, stepAccuracy, epochLoss, epochAccuracy, trainedSamples / seconds);
    }

    private static float[] pixels(List<LabeledCrop> training, int[] crops, boolean[] mirrored, CropAugmenter augmenter, int epoch,
            Preprocessing preprocessing, int size) {
        float[] pixels = new float[crops.length * 3 * size * size];
        for (int b = 0; b < crops.length; b++) {
            RgbImage crop = training.get(crops[b]).crop();
            if (augmenter != null) {
                crop = augmenter.apply(crop, epoch, crops[b]);
            }
            preprocessing.write(mirrored[b] ? ImageOps.mirror(crop) : crop, pixels, b * 3 * size * size);
        }
        return pixels;
    }

    private static double accuracy(NDArray embeddings, NDArray weights, NDArray labels) {
        NDArray e = embeddings.div(embeddings.norm(new int[] {1}, true).add(1e-12f));
        NDArray w = weights.div(weights.norm(new int[] {1}, true).add(1e-12f));
        NDArray predicted = e.matMul(w.transpose()).argMax(1);
        return predicted.eq(labels.toType(predicted.getDataType(), false)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mean().getFloat();
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return flat;
    }

    private static Optimizer optimizer(FineTuneSettings s, List<Pair<String, NDArray>> parameters) {
        if (s.optimizer().equals("adamw")) {
            return new AdamW(parameters, (float) s.learningRate(), 0.9f, 0.999f, 1e-8f, (float) s.weightDecay());
        }
        return new Sgd(parameters, (float) s.learningRate(), 0.9f, (float) s.weightDecay());
    }
}
