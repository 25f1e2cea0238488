package org.arcstream.core.image;

import static org.arcstream.core.image.ImageAssertions.assertClosePixels;
import static org.arcstream.core.image.ImageAssertions.assertPixel;
import static org.arcstream.core.image.ImageAssertions.assertReason;
import static org.arcstream.core.image.ImageAssertions.assertSamePixels;
import static org.arcstream.core.image.ImageAssertions.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.bmp.BMPImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.arcstream.core.image.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

/**
 * One real file per format and variant: written here where Java can write it, committed WebP fixtures where it
 * cannot (see {@code src/test/resources/org/arcstream/core/image/webp/README.md}). Lossless variants must
 * reproduce the source samples exactly, lossy ones within a tolerance; transparency is composited onto white.
 */
class ImageFormatsTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir
    Path tmp;

    // ---- JPEG -----------------------------------------------------------------------------------------------

    @Test
    void baselineJpeg() {
        RgbImage source = TestImages.gradient(64, 48);
        RgbImage decoded = decoder.decode(jpeg(source, false));
        assertClosePixels(source, decoded, 16, 2.0, "baseline JPEG");
    }

    @Test
    void progressiveJpeg() {
        RgbImage source = TestImages.gradient(64, 48);
        byte[] data = jpeg(source, true);
        assertTrue(hasMarker(data, 0xC2), "written as progressive (SOF2)");
        assertClosePixels(source, decoder.decode(data), 16, 2.0, "progressive JPEG");
    }

    /**
     * Adobe CMYK (APP14 transform 0) and YCCK (transform 2) JPEGs, as Photoshop writes for print. The JDK reader
     * alone cannot turn these into RGB; the TwelveMonkeys reader converts them.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void cmykAndYcckJpegDecodeToTheRightColours(int adobeTransform) throws IOException {
        int[][] inks = {{0, 0, 0, 0}, {0, 0, 0, 255}, {255, 0, 0, 0}, {0, 0, 255, 0}}; // white, black, cyan, yellow
        int[][] rgb = {{255, 255, 255}, {0, 0, 0}, {0, 255, 255}, {255, 255, 0}};
        int w = 32;
        int h = 32;
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] ink = inks[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
                // Adobe files store inverted CMYK (255 = no ink).
                int[] stored = {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
                raster.setPixel(x, y, adobeTransform == 2 ? ycck(stored) : stored);
            }
        }
        byte[] data = adobeJpeg(raster, adobeTransform);
        RgbImage decoded = decoder.decode(data);
        assertEquals(32, decoded.width());
        for (int q = 0; q < 4; q++) {
            int x = q % 2 == 0 ? 8 : 24;
            int y = q < 2 ? 8 : 24;
            assertPixel(rgb[q][0], rgb[q][1], rgb[q][2], decoded, x, y, 6);
        }
    }

    /**
     * Colour profiles are ignored for RGB data in every format, as OpenCV (which the models were validated
     * with) ignores them: a JPEG carrying a non-sRGB profile decodes to the samples it stores.
     */
    @Test
    void jpegWithANonSrgbProfileKeepsItsStoredSamples() {
        byte[] plain = ImageOps.encodeJpeg(TestImages.gradient(64, 48), 0.95f);
        byte[] profile = java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        ByteBuffer app2 = ByteBuffer.allocate(4 + 14 + profile.length);
        app2.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + 14 + profile.length))
                .put("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 1).put(profile);
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        tagged.write(plain, 0, 2);
        tagged.writeBytes(app2.array());
        tagged.write(plain, 2, plain.length - 2);
        assertSamePixels(decoder.decode(plain), decoder.decode(tagged.toByteArray()), "JPEG with a linear-RGB profile");
    }

    @Test
    void greyJpeg() {
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                grey.getRaster().setSample(x, y, 0, 100);
            }
        }
        assertPixel(100, 100, 100, decoder.decode(TestImages.encode(grey, "jpeg")), 16, 16, 2);
    }

    // ---- PNG ------------------------------------------------------------------------------------------------

    static Stream<Arguments> pngVariants() {
        RgbImage texture = TestImages.texture(40, 30, 31);
        BufferedImage rgb8 = ImageOps.toBufferedImage(texture);
        BufferedImage grey8 = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage grey16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED);
        BufferedImage binary = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                grey8.getRaster().setSample(x, y, 0, (x * 13 + y * 7) % 256);
                grey16.getRaster().setSample(x, y, 0, (x * 1601 + y * 977) % 65536);
                palette.setRGB(x, y, rgb8.getRGB(x, y));
                binary.setRGB(x, y, (x + y) % 3 == 0 ? 0xFFFFFF : 0);
            }
        }
        return Stream.of(
                Arguments.of("8-bit RGB", rgb8),
                Arguments.of("16-bit RGB", sixteenBit(texture, false)),
                Arguments.of("8-bit grey", grey8),
                Arguments.of("16-bit grey", grey16),
                Arguments.of("8-bit palette", palette),
                Arguments.of("1-bit palette", binary));
    }

    /** Lossless: the decoded samples are exactly what the source image holds (16-bit: the high byte). */
    @ParameterizedTest(name = "PNG {0}")
    @MethodSource("pngVariants")
    void pngVariantsDecodeExactly(String variant, BufferedImage source) {
        byte[] png = TestImages.encode(source, "png");
        assertSamePixels(RgbConverter.toRgb(source), decoder.decode(png), "PNG " + variant);
    }

    @Test
    void pngWithAlphaIsCompositedOntoWhite() {
        RgbImage texture = TestImages.texture(64, 48, 22);
        RgbImage decoded = decoder.decode(TestImages.encode(TestImages.withAlpha(texture), "png"));
        assertSamePixels(TestImages.compositedOnWhite(texture), decoded, "RGBA PNG");
    }

    @Test
    void sixteenBitPngWithAlphaIsCompositedOntoWhite() {
        RgbImage texture = TestImages.texture(64, 48, 22);
        RgbImage decoded = decoder.decode(TestImages.encode(sixteenBit(texture, true), "png"));
        // 16-bit alpha v*257 composites to the same 8-bit result up to rounding.
        assertClosePixels(TestImages.compositedOnWhite(texture), decoded, 1, 0.5, "16-bit RGBA PNG");
    }

    @Test
    void greyPngWithAlphaIsCompositedOntoWhite() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(64, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, new int[] {100, TestImages.alphaPattern(x, y, 64)});
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(new BufferedImage(cm, raster, false, null), "png"));
        assertPixel(100, 100, 100, decoded, 3, 3, 0); // opaque
        assertPixel(255, 255, 255, decoded, 20, 3, 0); // transparent
        int a = TestImages.alphaPattern(50, 3, 64);
        int expected = (100 * a + 255 * (255 - a) + 127) / 255;
        assertPixel(expected, expected, expected, decoded, 50, 3, 0);
    }

    @Test
    void palettePngWithTransparentEntriesIsCompositedOntoWhite() {
        byte[] r = {(byte) 200, 10, 0};
        byte[] g = {20, (byte) 180, 0};
        byte[] b = {30, 40, 0};
        byte[] a = {(byte) 255, (byte) 128, 0};
        BufferedImage indexed = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b, a));
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                indexed.getRaster().setSample(x, y, 0, x / 11);
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(indexed, "png"));
        assertPixel(200, 20, 30, decoded, 2, 2, 0);
        assertPixel((10 * 128 + 255 * 127 + 127) / 255, (180 * 128 + 255 * 127 + 127) / 255,
                (40 * 128 + 255 * 127 + 127) / 255, decoded, 15, 2, 0);
        assertPixel(255, 255, 255, decoded, 30, 2, 0);
    }

    // ---- WebP (committed fixtures) --------------------------------------------------------------------------

    @Test
    void losslessWebpReproducesTheSourceExactly() {
        assertSamePixels(TestImages.texture(64, 48, 21), decoder.decode(resource("webp/texture-lossless.webp")), "lossless WebP");
    }

    @Test
    void webpWithAnIccProfileKeepsItsStoredSamples() {
        assertSamePixels(TestImages.texture(64, 48, 21), decoder.decode(resource("webp/texture-lossless-linear-rgb-icc.webp")),
                "lossless WebP with a linear-RGB profile");
    }

    @Test
    void lossyWebpIsCloseToTheSource() {
        assertClosePixels(TestImages.gradient(64, 48), decoder.decode(resource("webp/gradient-lossy.webp")), 12, 2.0, "lossy WebP");
    }

    @Test
    void losslessWebpWithAlphaIsCompositedOntoWhiteLikePng() {
        RgbImage texture = TestImages.texture(64, 48, 22);
        RgbImage decoded = decoder.decode(resource("webp/texture-alpha-lossless.webp"));
        assertSamePixels(TestImages.compositedOnWhite(texture), decoded, "lossless WebP with alpha");
        // the same picture as PNG decodes to the same pixels
        assertSamePixels(decoder.decode(TestImages.encode(TestImages.withAlpha(texture), "png")), decoded, "WebP vs PNG");
    }

    @Test
    void lossyWebpWithAlphaIsCompositedOntoWhite() {
        RgbImage expected = TestImages.compositedOnWhite(TestImages.gradient(64, 48));
        RgbImage decoded = decoder.decode(resource("webp/gradient-alpha-lossy.webp"));
        assertClosePixels(expected, decoded, 12, 2.0, "lossy WebP with alpha");
        // fully transparent (alpha is coded losslessly): exactly white
        for (int y = 0; y < 48; y++) {
            for (int x = 16; x < 32; x++) {
                assertPixel(255, 255, 255, decoded, x, y, 0);
            }
        }
    }

    @Test
    void animatedWebpYieldsItsFirstFrame() {
        assertSamePixels(TestImages.quadrants(64, 48), decoder.decode(resource("webp/animated-2-frames.webp")), "frame 1");
    }

    @Test
    void webpNamedJpgIsDecodedAsWebp() throws IOException {
        Path file = Files.write(tmp.resolve("holiday.jpg"), resource("webp/texture-lossless.webp"));
        assertSamePixels(TestImages.texture(64, 48, 21), decoder.decode(file), "WebP named .jpg");
        Path png = Files.write(tmp.resolve("scan.webp"), ImageOps.encodePng(TestImages.quadrants(32, 32)));
        assertSamePixels(TestImages.quadrants(32, 32), decoder.decode(png), "PNG named .webp");
    }

    // ---- BMP ------------------------------------------------------------------------------------------------

    static Stream<Arguments> bmpVariants() {
        RgbImage texture = TestImages.texture(41, 29, 41); // odd width: rows are padded
        BufferedImage bgr = new BufferedImage(41, 29, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage intRgb = new BufferedImage(41, 29, BufferedImage.TYPE_INT_RGB);
        BufferedImage rgb565 = new BufferedImage(41, 29, BufferedImage.TYPE_USHORT_565_RGB);
        BufferedImage palette = new BufferedImage(41, 29, BufferedImage.TYPE_BYTE_INDEXED);
        BufferedImage grey = new BufferedImage(41, 29, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 29; y++) {
            for (int x = 0; x < 41; x++) {
                int rgb = texture.get(x, y, 0) << 16 | texture.get(x, y, 1) << 8 | texture.get(x, y, 2);
                bgr.setRGB(x, y, rgb);
                intRgb.setRGB(x, y, rgb);
                rgb565.setRGB(x, y, rgb);
                palette.setRGB(x, y, rgb);
                grey.getRaster().setSample(x, y, 0, (x * 5 + y * 3) % 256);
            }
        }
        return Stream.of(Arguments.of("24-bit", bgr, false), Arguments.of("24-bit top-down", bgr, true),
                Arguments.of("32-bit", intRgb, false), Arguments.of("16-bit 565", rgb565, false),
                Arguments.of("8-bit palette", palette, false), Arguments.of("8-bit grey", grey, false));
    }

    @ParameterizedTest(name = "BMP {0}")
    @MethodSource("bmpVariants")
    void bmpVariantsDecodeExactly(String variant, BufferedImage source, boolean topDown) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
        BMPImageWriteParam param = (BMPImageWriteParam) writer.getDefaultWriteParam();
        param.setTopDown(topDown);
        byte[] bmp = write(writer, new IIOImage(source, null, null), param);
        int tolerance = source.getType() == BufferedImage.TYPE_USHORT_565_RGB ? 1 : 0; // 5/6-bit widening
        assertClosePixels(RgbConverter.toRgb(source), decoder.decode(bmp), tolerance, 1.0, "BMP " + variant);
    }

    // ---- GIF ------------------------------------------------------------------------------------------------

    @Test
    void gifYieldsItsFirstFrame() throws IOException {
        byte[] gif = TestImages.animatedGif(2, 64, 48);
        assertSamePixels(TestImages.quadrants(64, 48), decoder.decode(gif), "GIF frame 1");
    }

    @Test
    void gifTransparentIndexIsCompositedOntoWhite() {
        byte[] r = {(byte) 200, 0};
        byte[] g = {20, 0};
        byte[] b = {30, 0};
        BufferedImage indexed = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 2, r, g, b, 1));
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                indexed.getRaster().setSample(x, y, 0, x < 16 ? 0 : 1);
            }
        }
        RgbImage decoded = decoder.decode(TestImages.encode(indexed, "gif"));
        assertPixel(200, 20, 30, decoded, 3, 3, 0);
        assertPixel(255, 255, 255, decoded, 20, 3, 0);
    }

    // ---- TIFF -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "TIFF {0}")
    @ValueSource(strings = {"None", "LZW", "Deflate", "ZLib", "PackBits"})
    void losslessTiffCompressionsDecodeExactly(String compression) throws IOException {
        RgbImage texture = TestImages.texture(64, 48, 51);
        byte[] tiff = tiff(ImageOps.toBufferedImage(texture), compression);
        assertEquals('M', tiff[0], "big-endian (the hand-written TIFFs below are little-endian)");
        assertSamePixels(texture, decoder.decode(tiff), "TIFF " + compression);
    }

    @Test
    void jpegCompressedTiff() throws IOException {
        RgbImage source = TestImages.gradient(64, 48);
        assertClosePixels(source, decoder.decode(tiff(ImageOps.toBufferedImage(source), "JPEG")), 16, 2.0, "TIFF JPEG");
    }

    @Test
    void tiffGreyPaletteAndAlpha() throws IOException {
        Map<String, BufferedImage> variants = new java.util.LinkedHashMap<>();
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED);
        RgbImage texture = TestImages.texture(40, 30, 52);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                grey.getRaster().setSample(x, y, 0, (x * 13 + y * 7) % 256);
                palette.setRGB(x, y, texture.get(x, y, 0) << 16 | texture.get(x, y, 1) << 8 | texture.get(x, y, 2));
            }
        }
        variants.put("grey", grey);
        variants.put("palette", palette);
        for (Map.Entry<String, BufferedImage> v : variants.entrySet()) {
            assertSamePixels(RgbConverter.toRgb(v.getValue()), decoder.decode(tiff(v.getValue(), "LZW")), "TIFF " + v.getKey());
        }
        // The TwelveMonkeys writer does not take 16-bit samples; the JDK's TIFF writer does.
        BufferedImage sixteen = sixteenBit(texture, false);
        ImageWriter jdk = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            jdk = w.getClass().getName().startsWith("com.sun.") ? w : jdk;
        }
        assertTrue(jdk != null, "the JDK TIFF writer");
        try {
            byte[] tiff16 = write(jdk, new IIOImage(sixteen, null, null), jdk.getDefaultWriteParam());
            assertSamePixels(RgbConverter.toRgb(sixteen), decoder.decode(tiff16), "TIFF 16-bit RGB");
        } finally {
            jdk.dispose();
        }
        RgbImage alphaSource = TestImages.texture(64, 48, 22);
        assertSamePixels(TestImages.compositedOnWhite(alphaSource),
                decoder.decode(tiff(TestImages.withAlpha(alphaSource), "LZW")), "TIFF RGBA");
    }

    @Test
    void multiPageTiffYieldsItsFirstPage() throws IOException {
        ImageWriter writer = tiffWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(ImageOps.toBufferedImage(TestImages.quadrants(64, 48)), null, null), null);
            writer.writeToSequence(new IIOImage(ImageOps.toBufferedImage(TestImages.gradient(64, 48)), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertSamePixels(TestImages.quadrants(64, 48), decoder.decode(out.toByteArray()), "TIFF page 1");
    }

    @Test
    void handWrittenLittleEndianTiffDecodes() {
        RgbImage texture = TestImages.texture(33, 21, 53);
        assertSamePixels(texture, decoder.decode(TiffBuilder.rgb(texture).build()), "minimal TIFF");
    }

    // ---- refused formats ------------------------------------------------------------------------------------

    @Test
    void heicAndAvifAreRefusedByName() {
        assertEquals("HEIC images are not supported; convert to JPEG or PNG",
                assertReason(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(TestImages.isoMedia("heic", "mif1", "heic"))).getMessage());
        assertEquals("AVIF images are not supported; convert to JPEG or PNG",
                assertReason(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(TestImages.isoMedia("avif", "avif", "mif1", "miaf", "MA1B"))).getMessage());
        // as libheif writes an AVIF: generic major brand, the specific one among the compatible brands
        assertTrue(assertReason(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(TestImages.isoMedia("mif1", "mif1", "avif", "miaf")))
                .getMessage().startsWith("AVIF"));
        assertTrue(assertReason(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(TestImages.isoMedia("mif1", "mif1", "miaf")))
                .getMessage().startsWith("HEIF"));
    }

    @Test
    void recognisedButUnsupportedFormatsAreNamed() {
        Map<String, byte[]> samples = Map.of(
                "JPEG 2000", new byte[] {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A, 0, 0, 0, 0x14},
                "JPEG XL", new byte[] {(byte) 0xFF, 0x0A, (byte) 0xFA, 0x7F, 0, 0, 0, 0},
                "Photoshop (PSD)", "8BPS\0\1\0\0\0\0\0\0\0\3".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "SVG", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "PDF", "%PDF-1.7\n%....".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, byte[]> s : samples.entrySet()) {
            ImageDecodeException e = assertReason(Reason.UNSUPPORTED_FORMAT, () -> decoder.decode(s.getValue()));
            assertTrue(e.getMessage().startsWith(s.getKey()), e.getMessage());
        }
    }

    @Test
    void unknownBytesNameOnlyTheirFirstFewBytes() {
        ImageDecodeException e = assertReason(Reason.NOT_AN_IMAGE,
                () -> decoder.decode("hello, this is not an image at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals("data is not a recognised image (34 bytes starting with 68 65 6c 6c; accepted: JPEG, PNG, WebP, BMP, GIF, TIFF)",
                e.getMessage());
    }

    @Test
    void acceptedFormatsListEveryDecodableFormat() {
        assertEquals(java.util.Set.of("jpeg", "png", "webp", "bmp", "gif", "tiff"), ImageDecoder.ACCEPTED_FORMATS);
        for (ImageFormat f : ImageFormat.values()) {
            if (f.decodable()) {
                assertTrue(ImageReaders.readerClass(f).contains("."), f + ": " + ImageReaders.readerClass(f));
            }
        }
        assertTrue(ImageReaders.readerClass(ImageFormat.JPEG).startsWith("com.twelvemonkeys"));
        assertTrue(ImageReaders.readerClass(ImageFormat.WEBP).startsWith("com.twelvemonkeys"));
        assertTrue(ImageReaders.readerClass(ImageFormat.TIFF).startsWith("com.twelvemonkeys"));
        assertTrue(ImageReaders.readerClass(ImageFormat.PNG).startsWith("com.sun.imageio"));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static byte[] jpeg(RgbImage image, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            return write(writer, new IIOImage(ImageOps.toBufferedImage(image), null, null), param);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** A 4-channel JPEG with an Adobe APP14 segment, written by the JDK's own JPEG writer. */
    private static byte[] adobeJpeg(Raster raster, int transform) throws IOException {
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                writer = w;
            }
        }
        assertTrue(writer != null, "the JDK JPEG writer");
        ColorSpace cmyk = com.twelvemonkeys.imageio.color.ColorSpaces.getColorSpace(
                com.twelvemonkeys.imageio.color.ColorSpaces.CS_GENERIC_CMYK);
        ImageTypeSpecifier type = ImageTypeSpecifier.createInterleaved(cmyk, new int[] {0, 1, 2, 3}, DataBuffer.TYPE_BYTE, false, false);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        IIOMetadata metadata = writer.getDefaultImageMetadata(type, param);
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(format);
        ((Element) tree.getElementsByTagName("app14Adobe").item(0)).setAttribute("transform", Integer.toString(transform));
        metadata.setFromTree(format, tree);
        try {
            return write(writer, new IIOImage(raster, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /** Adobe YCCK from stored (inverted) CMYK: the CMY part as RGB to YCbCr, K unchanged. */
    private static int[] ycck(int[] stored) {
        double r = 255 - stored[0];
        double g = 255 - stored[1];
        double b = 255 - stored[2];
        int y = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        int cb = (int) Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
        int cr = (int) Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
        return new int[] {clamp(y), clamp(cb), clamp(cr), stored[3]};
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static boolean hasMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }

    /** 16-bit samples v * 257, so the high byte is the 8-bit source value; optionally with the alpha pattern. */
    static BufferedImage sixteenBit(RgbImage image, boolean alpha) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(image.width(), image.height());
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int[] px = {image.get(x, y, 0) * 257, image.get(x, y, 1) * 257, image.get(x, y, 2) * 257,
                        TestImages.alphaPattern(x, y, image.width()) * 257};
                raster.setPixel(x, y, alpha ? px : java.util.Arrays.copyOf(px, 3));
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    static ImageWriter tiffWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.twelvemonkeys")) {
                return w;
            }
        }
        throw new AssertionError("TwelveMonkeys TIFF writer not on the test classpath");
    }

    static byte[] tiff(BufferedImage image, String compression) throws IOException {
        ImageWriter writer = tiffWriter();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
            return write(writer, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, image, param);
        }
        return out.toByteArray();
    }
}
