package org.arcstream.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builders for synthetic test images and the location of shared test data. */
public final class TestImages {

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

    /** A minimal, valid 8-bit RGB PNG whose IHDR claims the given size (IDAT holds one black row only). */
    public static byte[] pngWithHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(width).putInt(height)
                .put((byte) 8)  // bit depth
                .put((byte) 2)  // colour type: truecolour
                .put((byte) 0)  // deflate
                .put((byte) 0)  // adaptive filtering
                .put((byte) 0); // not interlaced
        writeChunk(out, "IHDR", ihdr.array());
        // Only a tiny image can actually be decoded from this; for the bomb the header is all that matters.
        byte[] raw = new byte[height <= 64 ? height * (1 + 3 * width) : 1 + 3 * Math.min(width, 64)];
        writeChunk(out, "IDAT", deflate(raw));
        writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[raw.length + 64];
        int n = deflater.deflate(buffer);
        deflater.end();
        return Arrays.copyOf(buffer, n);
    }

    /** Rewrites the frame size in the first SOFn segment of a real JPEG. */
    public static void patchJpegSize(byte[] jpeg, int width, int height) {
        int i = 2;
        while (i + 4 < jpeg.length) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xC2) {
                // segment: FF Cn, length(2), precision(1), height(2), width(2)
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return;
            }
            i += 2 + length;
        }
        throw new AssertionError("no SOF marker found");
    }
}
