package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 37);
        }
        return p;
    }

    @Test
    void readsGzippedAndPlainImagesAndLabels() throws IOException {
        byte[] data = pixels(3 * 4 * 5);
        Path gz = Files.write(dir.resolve("images.gz"), gzip(idx(0x803, new int[] {3, 4, 5}, data)));
        Path plain = Files.write(dir.resolve("labels"), idx(0x801, new int[] {3}, new byte[] {7, 0, (byte) 200}));

        LabeledImages.Pixels images = IdxFile.readImages(gz);
        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertArrayEquals(data, images.data());
        assertArrayEquals(new int[] {7, 0, 200}, IdxFile.readLabels(plain), "labels are unsigned bytes");
    }

    @Test
    void rejectsATruncatedPlainFile() throws IOException {
        byte[] whole = idx(0x803, new int[] {3, 4, 5}, pixels(60));
        Path file = Files.write(dir.resolve("cut"), Arrays.copyOf(whole, whole.length - 7));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(file));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("60") && e.getMessage().contains("53"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    }

    @Test
    void rejectsATruncatedGzipFile() throws IOException {
        byte[] whole = gzip(idx(0x803, new int[] {50, 28, 28}, pixels(50 * 28 * 28)));
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(whole, whole.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsAWrongMagicNumber() throws IOException {
        Path labels = Files.write(dir.resolve("labels"), idx(0x801, new int[] {3}, new byte[3]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(labels));
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801, expected 0x00000803"), e.getMessage());

        Path png = Files.write(dir.resolve("not-idx.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(png));
    }

    @Test
    void rejectsTrailingDataAndHugeHeaders() throws IOException {
        Path longer = Files.write(dir.resolve("longer"), idx(0x801, new int[] {2}, new byte[3]));
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(longer)).getMessage().contains("more data"));

        Path huge = Files.write(dir.resolve("huge"), idx(0x803, new int[] {100_000, 100_000, 100}, new byte[10]));
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxFile.readImages(huge)).getMessage().contains("limit"));
    }

    @Test
    void missingDataSetNamesTheFilesAndTheFix() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist") && e.getMessage().contains("--data"), e.getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentLengthsAreRefused() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x803, new int[] {3, 2, 2}, pixels(12)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {2}, new byte[2]));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {1, 2, 2}, pixels(4)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(0x801, new int[] {1}, new byte[1]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());
    }
}
