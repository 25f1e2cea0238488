package org.arcstream.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    /** Smooth ramps in all three channels: what lossy coders reproduce closely. */
    static RgbImage gradient(int w, int h) {
        byte[] px = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                px[i] = (byte) (40 + x * 160 / w);
                px[i + 1] = (byte) (30 + y * 180 / h);
                px[i + 2] = (byte) (200 - (x + y) * 120 / (w + h));
            }
        }
        return new RgbImage(w, h, px);
    }

    /**
     * Alpha used by the transparency fixtures: the left quarter opaque, the next quarter fully transparent, then
     * a ramp from 0 to 248 across the right half.
     */
    static int alphaPattern(int x, int y, int w) {
        if (x < w / 4) {
            return 255;
        }
        if (x < w / 2) {
            return 0;
        }
        return Math.min(255, (x - w / 2) * 8);
    }

    /** The image with {@link #alphaPattern} as an ARGB BufferedImage (non-premultiplied). */
    static BufferedImage withAlpha(RgbImage rgb) {
        BufferedImage out = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < rgb.height(); y++) {
            for (int x = 0; x < rgb.width(); x++) {
                int a = alphaPattern(x, y, rgb.width());
                out.setRGB(x, y, a << 24 | rgb.get(x, y, 0) << 16 | rgb.get(x, y, 1) << 8 | rgb.get(x, y, 2));
            }
        }
        return out;
    }

    /** What {@link #withAlpha} decodes to: each pixel composited onto white. */
    static RgbImage compositedOnWhite(RgbImage rgb) {
        byte[] px = new byte[rgb.pixels().length];
        for (int y = 0; y < rgb.height(); y++) {
            for (int x = 0; x < rgb.width(); x++) {
                int a = alphaPattern(x, y, rgb.width());
                for (int c = 0; c < 3; c++) {
                    px[3 * (y * rgb.width() + x) + c] = (byte) ((rgb.get(x, y, c) * a + 255 * (255 - a) + 127) / 255);
                }
            }
        }
        return new RgbImage(rgb.width(), rgb.height(), px);
    }

    /** Rotates pixels 90 degrees counter-clockwise: how a sensor stores an upright portrait tagged orientation 6. */
    static RgbImage rotateCounterClockwise(RgbImage src) {
        int w = src.width();
        int h = src.height();
        byte[] out = new byte[src.pixels().length];
        // stored (sx, sy) shows at upright (x, y) = (h - 1 - sy, sx) after the 90-degree clockwise display turn
        for (int sy = 0; sy < w; sy++) {
            for (int sx = 0; sx < h; sx++) {
                int x = w - 1 - sy;
                int y = sx;
                System.arraycopy(src.pixels(), 3 * (y * w + x), out, 3 * (sy * h + sx), 3);
            }
        }
        return new RgbImage(h, w, out);
    }

    /** Rotates pixels 90 degrees clockwise: a sensor's storage for orientation 8. */
    static RgbImage rotateClockwise(RgbImage src) {
        return rotateCounterClockwise(rotateCounterClockwise(rotateCounterClockwise(src)));
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

    /**
     * A GIF of {@code frames} frames written by ImageIO: frame 1 is {@link #quadrants} (four colours, so the
     * palette holds it exactly), the others the colours of {@link #gradient} reduced by the writer.
     */
    static byte[] animatedGif(int frames, int w, int h) {
        if (frames > 3) {
            // Frames 2.. are byte-identical blocks; repeat one instead of encoding thousands (ImageIO is slow at it).
            byte[] two = writeGif(2, w, h);
            byte[] three = writeGif(3, w, h);
            int block = three.length - two.length;
            int end = two.length - 1; // before the trailer
            ByteArrayOutputStream out = new ByteArrayOutputStream(two.length + (frames - 2) * block);
            out.write(two, 0, end);
            for (int i = 2; i < frames; i++) {
                out.write(two, end - block, block);
            }
            out.write(0x3B);
            return out.toByteArray();
        }
        return writeGif(frames, w, h);
    }

    private static byte[] writeGif(int frames, int w, int h) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            BufferedImage first = ImageOps.toBufferedImage(quadrants(w, h));
            BufferedImage other = ImageOps.toBufferedImage(gradient(w, h));
            for (int i = 0; i < frames; i++) {
                writer.writeToSequence(new IIOImage(i == 0 ? first : other, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * The start of an ISO base media file (HEIF, AVIF, MP4): an {@code ftyp} box with the major brand, minor
     * version 0 and the compatible brands, followed by an empty {@code meta} box, as encoders write them.
     */
    static byte[] isoMedia(String major, String... compatible) {
        ByteBuffer box = ByteBuffer.allocate(16 + 4 * compatible.length + 12);
        box.putInt(16 + 4 * compatible.length).put("ftyp".getBytes(StandardCharsets.US_ASCII))
                .put(major.getBytes(StandardCharsets.US_ASCII)).putInt(0);
        for (String brand : compatible) {
            box.put(brand.getBytes(StandardCharsets.US_ASCII));
        }
        box.putInt(12).put("meta".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        return box.array();
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

    /** Appends one PNG chunk: length, type, data, CRC. */
    static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** zlib data of {@code raw}, streamed, so that a decompression bomb of any size can be built. */
    static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
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
