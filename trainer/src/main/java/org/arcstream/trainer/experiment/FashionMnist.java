package org.arcstream.trainer.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Fashion-MNIST data set from a folder of its four IDX files (gzipped or plain). */
public final class FashionMnist {

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The training and test images. */
    public record Splits(LabeledImages train, LabeledImages test) {}

    private FashionMnist() {}

    /**
     * Loads the training and test splits from {@code dir}, which must hold
     * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
     * and {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}.
     */
    public static Splits load(Path dir) throws IOException {
        List<String> missing = new ArrayList<>();
        Path trainImages = find(dir, "train-images-idx3-ubyte", missing);
        Path trainLabels = find(dir, "train-labels-idx1-ubyte", missing);
        Path testImages = find(dir, "t10k-images-idx3-ubyte", missing);
        Path testLabels = find(dir, "t10k-labels-idx1-ubyte", missing);
        if (!missing.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, "Fashion-MNIST not found: missing " + String.join(", ", missing)
                    + " in " + dir + ". Install the Debian package dataset-fashion-mnist, or pass --data DIR"
                    + " with the four IDX files (gzipped or not).");
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
                throw new IdxFormatException(labels + ": label " + set.label(i) + " at item " + i + " is not a Fashion-MNIST class (0-9)");
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
