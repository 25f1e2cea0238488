package org.arcstream.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arcstream.core.TestData;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

import org.arcstream.core.image.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir
    Path tmp;

    // ---- rejected input -------------------------------------------------------------------------------------

    @Test
    void emptyArrayIsRejected() {
        assertReason(Reason.EMPTY, () -> decoder.decode(new byte[0]));
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.createFile(tmp.resolve("empty.jpg"));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(file));
        assertEquals(Reason.EMPTY, e.reason());
    }

    @Test
    void missingFileIsAnIoErrorNotADecodeError() {
        assertThrows(NoSuchFileException.class, () -> decoder.decode(tmp.resolve("nope.jpg")));
    }

    @Test
    void dataOverTheByteLimitIsRejectedBeforeDecoding() throws IOException {
        byte[] png = ImageOps.encodePng(TestImages.texture(64, 64, 1));
        ImageDecoder small = new ImageDecoder(new ImageLimits(png.length - 1, 1_000_000, 16));
        ImageDecodeException e = assertReason(Reason.TOO_LARGE_BYTES, () -> small.decode(png));
        assertTrue(e.getMessage().contains("limit is"), e.getMessage());

        Path file = Files.write(tmp.resolve("big.png"), png);
        ImageDecodeException fromFile = assertThrows(ImageDecodeException.class, () -> small.decode(file));
        assertEquals(Reason.TOO_LARGE_BYTES, fromFile.reason());
        assertEquals(64, new ImageDecoder(new ImageLimits(png.length, 1_000_000, 16)).decode(file).width());
    }

    @Test
    void truncatedJpegIsCorrupt() {
        byte[] jpeg = ImageOps.encodeJpeg(TestImages.texture(200, 200, 2), 0.9f);
        assertEquals(200, decoder.decode(jpeg).width(), "the untruncated JPEG must decode");

        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        ImageDecodeException e = assertReason(Reason.CORRUPT, () -> decoder.decode(half));
        assertTrue(e.getMessage().toLowerCase().contains("truncated"), e.getMessage());
    }

    @Test
    void jpegMissingOnlyItsEndMarkerIsCorrupt() {
        byte[] jpeg = ImageOps.encodeJpeg(TestImages.texture(64, 64, 3), 0.9f);
        assertReason(Reason.CORRUPT, () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length - 2)));
    }

    @Test
    void jpegStructureCheckFindsTheEndMarkerOnlyInCompleteFiles() {
        byte[] jpeg = ImageOps.encodeJpeg(TestImages.texture(120, 80, 4), 0.8f);
        assertTrue(JpegStructure.isComplete(jpeg));
        for (int cut = 3; cut < jpeg.length; cut += 97) {
            assertFalse(JpegStructure.isComplete(Arrays.copyOf(jpeg, cut)), "cut at " + cut);
        }
        // Bytes after EOI (padding, appended preview images) do not make a complete JPEG incomplete.
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100);
        assertTrue(JpegStructure.isComplete(padded));
        assertEquals(120, decoder.decode(padded).width());
    }

    @Test
    void progressiveJpegDecodesAndIsCorruptWhenTruncated() throws IOException {
        // Progressive files interleave tables between scans, which the structure check has to step over.
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(
                    ImageOps.toBufferedImage(TestImages.quadrants(80, 60)), null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        RgbImage decoded = decoder.decode(jpeg);
        assertColour(TestImages.WHITE, decoded, 60, 45, 12);
        assertReason(Reason.CORRUPT, () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 4)));
    }

    @Test
    void truncatedPngIsCorrupt() {
        byte[] png = ImageOps.encodePng(TestImages.texture(100, 100, 5));
        assertReason(Reason.CORRUPT, () -> decoder.decode(Arrays.copyOf(png, png.length / 2)));
        // The JDK decoder silently accepts a PNG cut inside its last chunks; the chunk walk must not.
        assertReason(Reason.CORRUPT, () -> decoder.decode(Arrays.copyOf(png, png.length - 20)));
        assertReason(Reason.CORRUPT, () -> decoder.decode(Arrays.copyOf(png, png.length - 1)));
    }

    @Test
    void randomBytesAreNotAnImage() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(5000)];
            rnd.nextBytes(junk);
            assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(junk));
        }
        // Two leading zero bytes look like WBMP to ImageIO, which has no real signature check.
        byte[] zeros = new byte[4096];
        rnd.nextBytes(zeros);
        zeros[0] = 0;
        zeros[1] = 0;
        assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(zeros));
    }

    @Test
    void textFileIsNotAnImage() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.jpg"), "This is a text file pretending to be a JPEG.\n");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(file));
        assertEquals(Reason.NOT_AN_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("not a recognised image"), e.getMessage());
    }

    @Test
    void jpegSignatureWithGarbageIsCorrupt() {
        byte[] data = new byte[500];
        new Random(7).nextBytes(data);
        data[0] = (byte) 0xFF;
        data[1] = (byte) 0xD8;
        data[2] = (byte) 0xFF;
        assertReason(Reason.CORRUPT, () -> decoder.decode(data));
    }

    @Test
    void pngHeaderClaiming50000x50000IsRejectedWithoutAllocating() {
        byte[] png = TestImages.pngWithHeader(50_000, 50_000);
        assertBombRejectedCheaply(png, "image header claims 50000x50000 pixels (2500.0 MP), limit is 40.0 MP");
    }

    @Test
    void pngHeaderClaimingASizeImageIoWouldAllocateIsRejectedWithoutAllocating() {
        // 50000x50000 overflows an int and ImageIO refuses it by itself; 20000x20000 (1.2 GB as RGB) it would try.
        byte[] png = TestImages.pngWithHeader(20_000, 20_000);
        assertBombRejectedCheaply(png, "image header claims 20000x20000 pixels (400.0 MP), limit is 40.0 MP");
    }

    @Test
    void jpegHeaderClaiming50000x50000IsRejectedWithoutAllocating() {
        byte[] jpeg = ImageOps.encodeJpeg(TestImages.texture(32, 32, 8), 0.9f);
        TestImages.patchJpegSize(jpeg, 50_000, 50_000);
        assertBombRejectedCheaply(jpeg, "image header claims 50000x50000 pixels (2500.0 MP), limit is 40.0 MP");
    }

    @Test
    void craftedPngHeaderIsValidAtSmallSizes() {
        // Guards the bomb test: the same crafted bytes with a sane size must decode.
        RgbImage image = decoder.decode(TestImages.pngWithHeader(20, 17));
        assertEquals(20, image.width());
        assertEquals(17, image.height());
    }

    @Test
    void onePixelImageIsTooSmall() {
        byte[] png = ImageOps.encodePng(new RgbImage(1, 1, new byte[] {10, 20, 30}));
        ImageDecodeException e = assertReason(Reason.TOO_SMALL, () -> decoder.decode(png));
        assertEquals("image is 1x1 pixels, both sides must be at least 16 px", e.getMessage());
    }

    @Test
    void narrowImageIsTooSmall() {
        byte[] png = ImageOps.encodePng(TestImages.texture(400, 15, 9));
        assertReason(Reason.TOO_SMALL, () -> decoder.decode(png));
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(100, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(100, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(100, 100, 11));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(100, 1L << 40, 1));
        assertEquals(20L * 1024 * 1024, ImageLimits.DEFAULTS.maxBytes());
    }

    // ---- accepted input -------------------------------------------------------------------------------------

    @Test
    void pngDecodesExactly() {
        RgbImage original = TestImages.texture(67, 45, 10);
        RgbImage decoded = decoder.decode(ImageOps.encodePng(original));
        assertEquals(67, decoded.width());
        assertEquals(45, decoded.height());
        assertArrayEquals(original.pixels(), decoded.pixels());
    }

    @Test
    void jpegDecodesToRightSizeAndApproximateColours() {
        RgbImage decoded = decoder.decode(ImageOps.encodeJpeg(TestImages.quadrants(96, 64), 0.92f));
        assertEquals(96, decoded.width());
        assertEquals(64, decoded.height());
        assertColour(TestImages.RED, decoded, 24, 16, 12);
        assertColour(TestImages.GREEN, decoded, 72, 16, 12);
        assertColour(TestImages.BLUE, decoded, 24, 48, 12);
        assertColour(TestImages.WHITE, decoded, 72, 48, 12);
    }

    @Test
    void jpegFileDecodes() throws IOException {
        Path file = Files.write(tmp.resolve("q.jpg"), ImageOps.encodeJpeg(TestImages.quadrants(32, 32), 0.95f));
        RgbImage decoded = decoder.decode(file);
        assertColour(TestImages.BLUE, decoded, 8, 24, 12);
    }

    @Test
    void grayscalePngKeepsItsStoredValues() {
        BufferedImage gray = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                gray.getRaster().setSample(x, y, 0, (x * 13 + y * 7) % 256);
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(gray, "png"));
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                int v = (x * 13 + y * 7) % 256;
                // Java2D's getRGB would brighten these (it treats grey as linear); files store them gamma-encoded.
                assertPixel(v, v, v, decoded, x, y);
            }
        }
    }

    @Test
    void grayscaleJpegKeepsItsStoredValues() {
        BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                gray.getRaster().setSample(x, y, 0, 100);
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(gray, "jpeg"));
        for (int c = 0; c < 3; c++) {
            assertEquals(100, decoded.get(16, 16, c), 2.0);
        }
    }

    @Test
    void argbPngIsCompositedOntoWhite() {
        BufferedImage argb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int alpha = x < 8 ? 0x40 : 0x00; // half translucent, half fully transparent
                argb.setRGB(x, y, alpha << 24 | 10 << 16 | 200 << 8 | 30);
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(argb, "png"));
        // c * a + 255 * (1 - a) with a = 64/255, rounded
        assertPixel(194, 241, 199, decoded, 3, 3);
        assertPixel(255, 255, 255, decoded, 12, 12);
    }

    @Test
    void sixteenBitRgbPngKeepsTheHighByte() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(16, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setPixel(x, y, new int[] {0x1234, 0xABCD, 0xFF80});
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(new BufferedImage(cm, raster, false, null), "png"));
        assertPixel(0x12, 0xAB, 0xFF, decoded, 5, 9);
    }

    @Test
    void sixteenBitGrayPngKeepsTheHighByte() {
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                gray.getRaster().setSample(x, y, 0, 0x8001);
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(gray, "png"));
        assertPixel(0x80, 0x80, 0x80, decoded, 7, 7);
    }

    @Test
    void palettePngUsesThePalette() {
        BufferedImage indexed = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0xFF0000);
        indexed.setRGB(15, 15, 0x0000FF);
        RgbImage decoded = decoder.decode(TestImages.encode(indexed, "png"));
        int expectedRed = indexed.getRGB(0, 0);
        assertPixel((expectedRed >> 16) & 0xFF, (expectedRed >> 8) & 0xFF, expectedRed & 0xFF, decoded, 0, 0);
        assertTrue(decoded.get(0, 0, 0) > 200 && decoded.get(15, 15, 2) > 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bmp", "gif"})
    void otherAcceptedFormatsDecode(String format) {
        BufferedImage image = ImageOps.toBufferedImage(TestImages.quadrants(40, 30));
        RgbImage decoded = decoder.decode(TestImages.encode(image, format));
        assertEquals(40, decoded.width());
        assertEquals(30, decoded.height());
        assertColour(TestImages.GREEN, decoded, 30, 5, 16);
    }

    @Test
    void cmykJpegDecodesThroughTheGenericPath() {
        // Java2D owns the CMYK -> RGB conversion; we only check it decodes at the right size.
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 24, 4, null);
        byte[] encoded;
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), null);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            writer.dispose();
        }
        encoded = out.toByteArray();
        RgbImage decoded = decoder.decode(encoded);
        assertEquals(32, decoded.width());
        assertEquals(24, decoded.height());
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR,
            BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_USHORT_565_RGB,
            BufferedImage.TYPE_USHORT_555_RGB, BufferedImage.TYPE_BYTE_INDEXED})
    void everyColourImageTypeConvertsLikeJava2d(int type) {
        BufferedImage image = new BufferedImage(23, 11, type);
        Random rnd = new Random(type);
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 23; x++) {
                image.setRGB(x, y, 0xFF000000 | rnd.nextInt(0x1000000));
            }
        }
        RgbImage rgb = RgbConverter.toRgb(image);
        // 5/6-bit channels are widened by rounding, Java2D may widen by bit replication: allow one level.
        int tolerance = type == BufferedImage.TYPE_USHORT_565_RGB || type == BufferedImage.TYPE_USHORT_555_RGB ? 1 : 0;
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 23; x++) {
                int expected = image.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int e = (expected >> (16 - 8 * c)) & 0xFF;
                    assertEquals(e, rgb.get(x, y, c), tolerance, "type " + type + " at " + x + "," + y);
                }
            }
        }
    }

    // ---- real photos ----------------------------------------------------------------------------------------

    @Test
    void realLfwPhotosDecodeLikeImageIo() throws IOException {
        Path lfw10 = TestData.lfw10();
        List<Path> photos;
        try (Stream<Path> people = Files.list(lfw10)) {
            photos = people.filter(Files::isDirectory)
                    .flatMap(dir -> {
                        try {
                            return Files.list(dir).filter(p -> p.toString().endsWith(".jpg")).toList().stream();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .sorted()
                    .toList();
        }
        assumeTrue(!photos.isEmpty(), "no JPEGs in " + lfw10);
        // Every real camera JPEG must pass the truncation checks, and pixels must equal what ImageIO itself decodes.
        for (Path photo : photos) {
            RgbImage decoded = decoder.decode(photo);
            BufferedImage reference = ImageIO.read(photo.toFile());
            assertEquals(reference.getWidth(), decoded.width(), photo.toString());
            assertEquals(reference.getHeight(), decoded.height(), photo.toString());
            assertArrayEquals(RgbConverter.toRgb(reference).pixels(), decoded.pixels(), photo.toString());
        }
        RgbImage first = decoder.decode(photos.get(0));
        assertEquals(250, first.width());
        assertEquals(250, first.height());

        byte[] truncated = Arrays.copyOf(Files.readAllBytes(photos.get(0)), (int) Files.size(photos.get(0)) * 2 / 3);
        assertReason(Reason.CORRUPT, () -> decoder.decode(truncated));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static ImageDecodeException assertReason(Reason reason, org.junit.jupiter.api.function.Executable call) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        return e;
    }

    private void assertBombRejectedCheaply(byte[] bomb, String expectedMessage) {
        decoder.decode(ImageOps.encodePng(TestImages.texture(32, 32, 11))); // warm up ImageIO's plugin registry
        var threads = ManagementFactory.getThreadMXBean();
        boolean canMeasure = threads instanceof com.sun.management.ThreadMXBean sun
                && sun.isCurrentThreadCpuTimeSupported() && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled();
        long allocatedBefore = canMeasure ? ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() : 0;
        long start = System.nanoTime();

        ImageDecodeException e = assertReason(Reason.TOO_MANY_PIXELS, () -> decoder.decode(bomb));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(expectedMessage, e.getMessage());
        assertTrue(millis < 2_000, "rejection took " + millis + " ms");
        if (canMeasure) {
            long allocated = ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() - allocatedBefore;
            // Decoding would need 7.5 GB; reading a header needs well under a megabyte.
            assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated + " bytes");
        }
    }

    private static void assertColour(int rgb, RgbImage image, int x, int y, int tolerance) {
        Color expected = new Color(rgb);
        String where = " at " + x + "," + y;
        assertEquals(expected.getRed(), image.get(x, y, 0), tolerance, "red" + where);
        assertEquals(expected.getGreen(), image.get(x, y, 1), tolerance, "green" + where);
        assertEquals(expected.getBlue(), image.get(x, y, 2), tolerance, "blue" + where);
    }

    private static void assertPixel(int r, int g, int b, RgbImage image, int x, int y) {
        assertArrayEquals(new int[] {r, g, b},
                new int[] {image.get(x, y, 0), image.get(x, y, 1), image.get(x, y, 2)}, "pixel " + x + "," + y);
    }
}
