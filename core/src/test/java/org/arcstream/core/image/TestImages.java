package org.arcstream.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builders for synthetic test images and the location of shared test data. */
final class TestImages {

    static final int RED = 0xDC1E1E;
    static final int GREEN = 0x1EB432;
    static final int BLUE = 0x2832C8;
    static final int WHITE = 0xF0F0F0;

    private TestImages() {
    }

    /** A w x h image with four flat quadrants (red, green / blue, white): easy to check after lossy coding. */
    static RgbImage quadrants(int w, int h) {
        byte[] px = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = y < h / 2 ? (x < w / 2 ? RED : GREEN) : (x < w / 2 ? BLUE : WHITE);
                int i = 3 * (y * w + x);
                px[i] = (byte) (rgb >> 16);
                px[i + 1] = (byte) (rgb >> 8);
                px[i + 2] = (byte) rgb;
            }
        }
        return new RgbImage(w, h, px);
    }

    /** Smooth gradients plus noise, so a JPEG of it has a long entropy-coded section. */
    static RgbImage texture(int w, int h, long seed) {
        Random rnd = new Random(seed);
        byte[] px = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                px[i] = (byte) (x * 255 / w + rnd.nextInt(32));
                px[i + 1] = (byte) (y * 255 / h + rnd.nextInt(32));
                px[i + 2] = (byte) rnd.nextInt(256);
            }
        }
        return new RgbImage(w, h, px);
    }

    static byte[] encode(BufferedImage image, String format) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The shared data directory: system property from surefire, else the checkout-relative default. */
    static Path sharedDir() {
        String configured = System.getProperty("arcstream.shared.dir");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared");
        return dir.toAbsolutePath().normalize();
    }

    static Path lfw10Dir() {
        return sharedDir().resolve("data").resolve("lfw10");
    }

    static boolean hasLfw10() {
        return Files.isDirectory(lfw10Dir());
    }
}
