package org.arcstream.core.image;

import static org.arcstream.core.image.ImageAssertions.assertRejectedCheaply;
import static org.arcstream.core.image.ImageAssertions.assertReason;
import static org.arcstream.core.image.ImageAssertions.assertSamePixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.arcstream.core.image.ImageDecodeException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile headers: each file here would make a decoder allocate far more than the data justifies, loop, or
 * parse without bound. Each must be refused (or, where harmless, decoded) quickly, within the normal test heap,
 * and without this thread allocating more than a few megabytes.
 */
class CraftedImagesTest {

    private final ImageDecoder decoder = new ImageDecoder();

    // ---- BMP ------------------------------------------------------------------------------------------------

    /**
     * 94 bytes: a BMP header for 200x200 pixels with BI_JPEG or BI_PNG compression and an embedded-data size of
     * 1.5 to 2.1 GB. The JDK reader allocates a buffer of that size before reading a byte of it.
     */
    @ParameterizedTest(name = "compression {0}, declared {1} bytes")
    @CsvSource({"4, 1500000000", "5, 1500000000", "4, 2100000000", "5, 2100000000"})
    void bmpDeclaringGigabytesOfEmbeddedDataIsRefusedBeforeAllocating(int compression, long declared) {
        byte[] bmp = craftedBmp(compression, declared);
        assertEquals(94, bmp.length);
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(bmp));
        assertTrue(e.getMessage().contains("declares " + declared + " bytes of pixel data but only 40 bytes follow"), e.getMessage());
    }

    @ParameterizedTest(name = "compression {0}")
    @CsvSource({"4", "5"})
    void bmpWithEmbeddedJpegOrPngIsRefusedByName(int compression) {
        ImageDecodeException e = assertRejectedCheaply(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(craftedBmp(compression, 40)));
        assertTrue(e.getMessage().startsWith("BMP files with embedded " + (compression == 4 ? "JPEG" : "PNG")), e.getMessage());
    }

    @Test
    void bmpWhosePixelOffsetLiesBeyondTheDataIsRefused() {
        byte[] bmp = craftedBmp(0, 0);
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(10, 0x7FFF_FFF0);
        assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(bmp));
    }

    static byte[] craftedBmp(int compression, long declaredImageSize) {
        ByteBuffer b = ByteBuffer.allocate(94).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(94).putInt(0).putInt(54); // file header
        b.putInt(40).putInt(200).putInt(200).putShort((short) 1).putShort((short) 24) // BITMAPINFOHEADER
                .putInt(compression).putInt((int) declaredImageSize).putInt(2835).putInt(2835).putInt(0).putInt(0);
        // 40 bytes of "embedded data": a JPEG start-of-image marker and nothing useful
        b.put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF);
        return b.array();
    }

    // ---- PNG ------------------------------------------------------------------------------------------------

    @Test
    void pngTextChunkDeclaringHundredsOfMegabytesIsRefused() {
        byte[] png = ImageOps.encodePng(TestImages.texture(32, 32, 61));
        // insert, after IHDR (8 + 25 bytes), a tEXt chunk header declaring 400 MB with no data behind it
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.writeBytes(ByteBuffer.allocate(8).putInt(400_000_000).put("tEXt".getBytes(StandardCharsets.US_ASCII)).array());
        out.write(png, 33, png.length - 33);
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(out.toByteArray()));
        assertTrue(e.getMessage().contains("chunk 'tEXt' declares 400000000 bytes"), e.getMessage());
    }

    /**
     * A palette PNG (for which the JDK reader parses ancillary chunks even when told to ignore metadata) with a
     * zTXt chunk that inflates to 100 MB: it decodes, and the text is never inflated.
     */
    @Test
    void palettePngWithACompressedTextBombDecodesWithoutInflatingIt() {
        byte[] png = TestImages.encode(paletteImage(), "png");
        byte[] bomb = TestImages.deflate(new byte[100 * 1024 * 1024]);
        ByteArrayOutputStream ztxt = new ByteArrayOutputStream();
        ztxt.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
        ztxt.write(0); // keyword terminator
        ztxt.write(0); // compression method: deflate
        ztxt.writeBytes(bomb);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        TestImages.writeChunk(out, "zTXt", ztxt.toByteArray());
        out.write(png, 33, png.length - 33);
        byte[] crafted = out.toByteArray();
        assertTrue(crafted.length < 1024 * 1024, "the bomb is small: " + crafted.length);

        long before = allocated();
        RgbImage decoded = decoder.decode(crafted);
        long used = allocated() - before;
        assertSamePixels(RgbConverter.toRgb(paletteImage()), decoded, "palette PNG");
        assertTrue(used < 32L * 1024 * 1024, "allocated " + used + " bytes");
    }

    // ---- GIF ------------------------------------------------------------------------------------------------

    @Test
    void gifWithThousandsOfFramesDecodesOnlyTheFirstCheaply() {
        byte[] gif = TestImages.animatedGif(3000, 32, 32);
        assertEquals(3000, frameCount(gif));
        decoder.decode(TestImages.animatedGif(2, 32, 32)); // warm up the GIF reader
        long before = allocated();
        long start = System.nanoTime();
        RgbImage decoded = decoder.decode(gif);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long used = allocated() - before;
        assertSamePixels(TestImages.quadrants(32, 32), decoded, "frame 1 of 3000");
        assertTrue(millis < 2_000, "took " + millis + " ms"); // generous, for a loaded machine
        assertTrue(used < 4L * 1024 * 1024, "allocated " + used + " bytes for " + gif.length + " bytes of GIF");
    }

    @Test
    void gifFrameLargerThanTheLimitIsRefused() {
        byte[] gif = TestImages.animatedGif(1, 32, 32);
        // the first image descriptor follows the header, screen descriptor, colour table and extensions
        int descriptor = indexOfImageDescriptor(gif);
        gif[descriptor + 5] = (byte) 0xFF;
        gif[descriptor + 6] = (byte) 0xFF;
        gif[descriptor + 7] = (byte) 0xFF;
        gif[descriptor + 8] = (byte) 0xFF;
        ImageDecodeException e = assertRejectedCheaply(Reason.TOO_MANY_PIXELS, () -> decoder.decode(gif));
        assertTrue(e.getMessage().startsWith("image header claims 65535x65535 pixels"), e.getMessage());
    }

    // ---- TIFF -----------------------------------------------------------------------------------------------

    @Test
    void tiffWithManyImagesIsRefused() {
        TiffBuilder b = TiffBuilder.rgb(TestImages.texture(16, 16, 62));
        for (int i = 0; i < 100; i++) {
            b.nextIfd().tag(256, TiffBuilder.LONG, 16).tag(257, TiffBuilder.LONG, 16);
        }
        ImageDecodeException e = assertRejectedCheaply(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(b.build()));
        assertTrue(e.getMessage().contains("more than 64 images"), e.getMessage());
    }

    /**
     * 1,000 entries that each declare the same 200 KB of RATIONAL values: 200 MB of values, each loaded as an
     * object by the TIFF reader, from a file of 200 KB.
     */
    @Test
    void tiffWhoseValuesOverlapManyTimesIsRefused() {
        RgbImage image = TestImages.texture(256, 256, 63); // 196 KB of pixel data to point at
        TiffBuilder b = TiffBuilder.rgb(image);
        byte[] plain = b.build();
        int pixelStart = plain.length - image.pixels().length;
        for (int i = 0; i < 1000; i++) {
            b.rawTag(40000 + i, TiffBuilder.RATIONAL, image.pixels().length / 8, pixelStart);
        }
        byte[] crafted = b.build();
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(crafted));
        assertTrue(e.getMessage().contains("more value data than the file holds"), e.getMessage());
    }

    @Test
    void tiffStripLyingBeyondTheDataIsRefused() {
        byte[] tiff = TiffBuilder.rgb(TestImages.texture(32, 32, 64)).tag(279, TiffBuilder.LONG, 0x7FFF_FFFFL).build();
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(tiff));
        assertTrue(e.getMessage().contains("lies outside"), e.getMessage());
    }

    @Test
    void tiffWithHugeTilesIsRefused() {
        byte[] tiff = TiffBuilder.rgb(TestImages.texture(32, 32, 65))
                .tag(322, TiffBuilder.LONG, 65_536).tag(323, TiffBuilder.LONG, 65_536)
                .tag(324, TiffBuilder.LONG, 8).tag(325, TiffBuilder.LONG, 16)
                .build();
        assertRejectedCheaply(Reason.TOO_MANY_PIXELS, () -> decoder.decode(tiff));
    }

    @Test
    void tiffWithThousandsOfSamplesPerPixelIsRefused() {
        byte[] tiff = TiffBuilder.rgb(TestImages.texture(32, 32, 66)).tag(277, TiffBuilder.SHORT, 65_535).build();
        assertRejectedCheaply(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(tiff));
    }

    @Test
    void tiffHeaderClaimingTooManyPixelsIsRefused() {
        byte[] tiff = TiffBuilder.rgb(TestImages.texture(32, 32, 67))
                .tag(256, TiffBuilder.LONG, 50_000).tag(257, TiffBuilder.LONG, 50_000).build();
        ImageDecodeException e = assertRejectedCheaply(Reason.TOO_MANY_PIXELS, () -> decoder.decode(tiff));
        assertEquals("image header claims 50000x50000 pixels (2500.0 MP), limit is 40.0 MP", e.getMessage());
    }

    @Test
    void jpegStripClaimingAHugeFrameIsRefused() {
        byte[] jpeg = ImageOps.encodeJpeg(TestImages.texture(32, 32, 68), 0.9f);
        TestImages.patchJpegSize(jpeg, 60_000, 60_000);
        TiffBuilder b = TiffBuilder.rgb(TestImages.texture(32, 32, 68)).tag(259, TiffBuilder.SHORT, 7).tag(262, TiffBuilder.SHORT, 6);
        byte[] tiff = b.build();
        // replace the raw pixel strip by the JPEG
        int pixelStart = tiff.length - 32 * 32 * 3;
        byte[] crafted = Arrays.copyOf(tiff, pixelStart + jpeg.length);
        System.arraycopy(jpeg, 0, crafted, pixelStart, jpeg.length);
        ByteBuffer buf = ByteBuffer.wrap(crafted).order(ByteOrder.LITTLE_ENDIAN);
        int entries = buf.getShort(8);
        for (int i = 0; i < entries; i++) {
            if (buf.getShort(10 + 12 * i) == 279) {
                buf.putInt(10 + 12 * i + 8, jpeg.length);
            }
        }
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(crafted));
        assertTrue(e.getMessage().contains("claims 60000x60000 pixels"), e.getMessage());
    }

    @Test
    void tiffWhoseFirstImageOffsetIsZeroIsCorrupt() {
        byte[] tiff = TiffBuilder.rgb(TestImages.texture(16, 16, 70)).build();
        ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0); // no first IFD at all
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(tiff));
        assertEquals("cannot read tiff header: first IFD offset 0 is invalid", e.getMessage());
    }

    @Test
    void tiffWhoseNextImagePointsAtItselfDecodes() {
        RgbImage image = TestImages.texture(16, 16, 69);
        byte[] tiff = TiffBuilder.rgb(image).build();
        ByteBuffer buf = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        int entries = buf.getShort(8);
        buf.putInt(10 + 12 * entries, 8); // next IFD = the first IFD again
        assertSamePixels(image, decoder.decode(tiff), "looping TIFF");
    }

    // ---- WebP -----------------------------------------------------------------------------------------------

    @Test
    void webpBitstreamLargerThanItsCanvasIsRefused() {
        byte[] webp = ImageAssertions.resource("webp/gradient-alpha-lossy.webp").clone();
        // VP8X canvas stays 64x48; the VP8 frame header inside is patched to 16000x16000
        int vp8 = indexOf(webp, "VP8 ");
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putShort(vp8 + 14, (short) 16_000).putShort(vp8 + 16, (short) 16_000);
        ImageDecodeException e = assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(webp));
        assertTrue(e.getMessage().contains("canvas is 64x48 but the image is 16000x16000"), e.getMessage());
    }

    @Test
    void webpHeaderClaimingTooManyPixelsIsRefused() {
        byte[] webp = ImageAssertions.resource("webp/texture-lossless.webp").clone();
        int vp8l = indexOf(webp, "VP8L");
        // 14-bit width-1 and height-1, least significant bit first: both 16383 -> 16384x16384
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(vp8l + 9, (webp[vp8l + 12] & 0xF0) << 24 | 0x0FFF_FFFF);
        ImageDecodeException e = assertRejectedCheaply(Reason.TOO_MANY_PIXELS, () -> decoder.decode(webp));
        assertTrue(e.getMessage().startsWith("image header claims 16384x16384 pixels"), e.getMessage());
    }

    @Test
    void webpChunkLongerThanTheDataIsRefused() {
        byte[] webp = ImageAssertions.resource("webp/gradient-alpha-lossy.webp").clone();
        int alph = indexOf(webp, "ALPH");
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(alph + 4, 0x7FFF_0000);
        assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(webp));
    }

    @Test
    void animatedWebpFrameOutsideTheCanvasIsRefused() {
        byte[] webp = ImageAssertions.resource("webp/animated-2-frames.webp").clone();
        int anmf = indexOf(webp, "ANMF");
        webp[anmf + 8] = 100; // x offset / 2 of the first frame
        assertRejectedCheaply(Reason.CORRUPT, () -> decoder.decode(webp));
    }

    // ---- errors from inside a decoder -----------------------------------------------------------------------

    @Test
    void errorsFromADecoderBecomeRejectionsOfThatImage() {
        ImageHeader header = new ImageHeader(ImageFormat.TIFF, 640, 480, 1, null, new byte[0]);
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        ImageDecodeException e = ImageDecoder.rejectionFor(oom, header);
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("not enough memory to decode this 640x480 TIFF image", e.getMessage());
        assertSame(oom, e.getCause());
        assertEquals(Reason.CORRUPT, ImageDecoder.rejectionFor(new StackOverflowError(), header).reason());
        assertEquals(Reason.CORRUPT, ImageDecoder.rejectionFor(new InternalError("LCMS error"), header).reason());
        // a broken installation is not a bad image
        NoClassDefFoundError missing = new NoClassDefFoundError("com/twelvemonkeys/imageio/plugins/tiff/TIFFImageReader");
        assertSame(missing, assertThrows(NoClassDefFoundError.class, () -> ImageDecoder.rejectionFor(missing, header)));
    }

    @Test
    void corruptDataInsideAValidHeaderIsCorrupt() {
        byte[] webp = ImageAssertions.resource("webp/texture-lossless.webp").clone();
        for (int i = 40; i < webp.length; i += 3) {
            webp[i] = (byte) (webp[i] * 31 + 7);
        }
        assertReason(Reason.CORRUPT, () -> decoder.decode(webp));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static java.awt.image.BufferedImage paletteImage() {
        java.awt.image.BufferedImage indexed = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_BYTE_INDEXED);
        RgbImage texture = TestImages.texture(32, 32, 70);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                indexed.setRGB(x, y, texture.get(x, y, 0) << 16 | texture.get(x, y, 1) << 8 | texture.get(x, y, 2));
            }
        }
        return indexed;
    }

    private static int frameCount(byte[] gif) {
        javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif))) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            reader.dispose();
        }
    }

    private static long allocated() {
        var threads = ManagementFactory.getThreadMXBean();
        return threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                ? sun.getCurrentThreadAllocatedBytes() : 0;
    }

    private static int indexOfImageDescriptor(byte[] gif) {
        int packed = gif[10] & 0xFF;
        int i = 13 + ((packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0);
        while ((gif[i] & 0xFF) == 0x21) {
            i += 2;
            while (gif[i] != 0) {
                i += 1 + (gif[i] & 0xFF);
            }
            i++;
        }
        assertEquals(0x2C, gif[i] & 0xFF);
        return i;
    }

    private static int indexOf(byte[] data, String fourCc) {
        byte[] needle = fourCc.getBytes(StandardCharsets.US_ASCII);
        for (int i = 12; i + 4 <= data.length; i++) {
            if (Arrays.equals(data, i, i + 4, needle, 0, 4)) {
                return i;
            }
        }
        throw new AssertionError("no " + fourCc + " chunk");
    }
}
