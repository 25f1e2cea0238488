package org.arcstream.trainer.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.arcstream.core.eval.Verification;
import org.arcstream.trainer.graph.TrainableOnnxModel;

/**
 * Trains the embedding network with one loss on the seen classes and measures it: closed-set
 * accuracy of the trained classifier head on the test images of the seen classes, verification on
 * test pairs of the seen classes and on test pairs of the held-out classes (open set), and a
 * sample of unit-length test embeddings of every class for the scatter plot.
 */
public final class OpenSetExperiment {

    /** Far-accept rate at which the true-accept rate is reported. */
    public static final double FAR = 0.01;

    /**
     * The images of one experiment.
     *
     * @param train training sample of the seen classes, labelled 0..k-1
     * @param test  test images of all classes with their original labels
     */
    public record Data(LabeledImages train, LabeledImages test, OpenSetSplit split) {}

    /** How much of the test set goes into pair figures and into the plot. */
    public record Sampling(int pairImages, int plotPerClass, long seed) {}

    /** The figures of one loss. */
    public record Result(
            LossKind loss,
            double testAccuracy,
            double openSetAuc,
            double openSetTarAtFar,
            double closedSetAuc,
            int openSetPairs,
            int closedSetPairs,
            double[] epochLosses,
            double trainSeconds,
            float[][] plotPoints,
            int[] plotClasses) {}

    private OpenSetExperiment() {}

    public static Result run(LossKind kind, Data data, TrainingSettings settings, Sampling sampling, NDManager manager,
            EmbeddingTrainer.Listener listener) {
        EmbeddingCnn.Architecture arch = settings.architecture();
        try (NDManager runManager = manager.newSubManager();
                TrainableOnnxModel model = TrainableOnnxModel.of(EmbeddingCnn.build(arch, settings.seed()), runManager)) {
            NDArray classWeights = EmbeddingTrainer.initialClassWeights(runManager, data.split().seenCount(), arch.embeddingDim(), settings.seed() + 1);
            EmbeddingTrainer trainer = new EmbeddingTrainer(model, classWeights,
                    kind.create(settings.arcFaceScale(), settings.arcFaceMarginRadians(), settings.arcFaceVariant()), settings);
            long start = System.nanoTime();
            double[] losses = trainer.train(data.train(), listener);
            double seconds = (System.nanoTime() - start) / 1e9;

            float[][] embeddings = EmbeddingTrainer.embed(model, runManager, data.test(), 500);
            float[][] weights = EmbeddingTrainer.rows(classWeights);
            return measure(kind, data, embeddings, weights, sampling, losses, seconds);
        }
    }

    /** The figures of trained test embeddings ({@code data.test()} order) and class weights. */
    static Result measure(LossKind kind, Data data, float[][] testEmbeddings, float[][] classWeights, Sampling sampling,
            double[] losses, double seconds) {
        OpenSetSplit split = data.split();
        int classes = 0;
        for (int i = 0; i < data.test().size(); i++) {
            classes = Math.max(classes, data.test().label(i) + 1);
        }
        int[] seenIndex = new int[Math.max(classes, split.seen().get(split.seenCount() - 1) + 1)];
        Arrays.fill(seenIndex, -1);
        for (int i = 0; i < split.seenCount(); i++) {
            seenIndex[split.originalClass(i)] = i;
        }
        List<Integer> seen = new ArrayList<>(), heldOut = new ArrayList<>();
        for (int i = 0; i < data.test().size(); i++) {
            (seenIndex[data.test().label(i)] >= 0 ? seen : heldOut).add(i);
        }
        float[][] seenEmbeddings = pick(testEmbeddings, seen);
        int[] seenLabels = seen.stream().mapToInt(i -> seenIndex[data.test().label(i)]).toArray();
        double accuracy = EmbeddingEvaluation.accuracy(seenEmbeddings, seenLabels, classWeights, kind.head());

        Random random = new Random(sampling.seed());
        Verification open = verification(testEmbeddings, data.test(), sample(heldOut, sampling.pairImages(), random));
        Verification closed = verification(testEmbeddings, data.test(), sample(seen, sampling.pairImages(), random));

        List<Integer> plotted = new ArrayList<>();
        int[] perClass = new int[seenIndex.length];
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < data.test().size(); i++) {
            all.add(i);
        }
        for (int i : sample(all, all.size(), random)) {
            if (perClass[data.test().label(i)]++ < sampling.plotPerClass()) {
                plotted.add(i);
            }
        }
        float[][] plotPoints = EmbeddingEvaluation.normalized(pick(testEmbeddings, plotted));
        int[] plotClasses = plotted.stream().mapToInt(data.test()::label).toArray();
        return new Result(kind, accuracy, open.auc(), open.tarAtFar(FAR), closed.auc(), open.pairs(), closed.pairs(),
                losses, seconds, plotPoints, plotClasses);
    }

    private static Verification verification(float[][] embeddings, LabeledImages test, List<Integer> indices) {
        return EmbeddingEvaluation.verification(pick(embeddings, indices), indices.stream().mapToInt(test::label).toArray());
    }

    private static float[][] pick(float[][] rows, List<Integer> indices) {
        float[][] out = new float[indices.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows[indices.get(i)];
        }
        return out;
    }

    /** Up to {@code n} of the indices, drawn without replacement. */
    private static List<Integer> sample(List<Integer> indices, int n, Random random) {
        List<Integer> copy = new ArrayList<>(indices);
        Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }
}
