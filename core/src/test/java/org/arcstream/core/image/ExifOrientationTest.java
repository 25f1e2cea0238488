package org.arcstream.core.image;

import static org.arcstream.core.image.ImageAssertions.assertSamePixels;
import static org.arcstream.core.image.ImageAssertions.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.arcstream.core.TestData;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXIF orientation: phones store a portrait as landscape sensor rows and say so in the Orientation tag. The
 * decoder must return the image upright, or the face detector sees a face lying on its side.
 */
class ExifOrientationTest {

    private static FacePipeline pipeline;
    private final ImageDecoder decoder = new ImageDecoder();

    @BeforeAll
    static void open() {
        pipeline = new FacePipeline(TestData.defaultConfig());
    }

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    // ---- reading the tag ------------------------------------------------------------------------------------

    @Test
    void orientationIsReadInBothByteOrders() {
        for (int o = 1; o <= 8; o++) {
            assertEquals(o, ExifOrientation.read(tiffBlock(o, false), 0, 26));
            assertEquals(o, ExifOrientation.read(tiffBlock(o, true), 0, 26));
        }
    }

    @Test
    void damagedOrMissingOrientationMeansAsStored() {
        assertEquals(1, ExifOrientation.read(tiffBlock(9, false), 0, 26), "out of range");
        assertEquals(1, ExifOrientation.read(tiffBlock(0, false), 0, 26), "out of range");
        assertEquals(1, ExifOrientation.read(tiffBlock(6, false), 0, 20), "entry cut off");
        byte[] otherTag = tiffBlock(6, false);
        otherTag[11] = 0x13; // tag 0x0113
        assertEquals(1, ExifOrientation.read(otherTag, 0, 26), "no orientation tag");
        byte[] farIfd = tiffBlock(6, false);
        farIfd[4] = 0x7F; // IFD offset far beyond the block
        assertEquals(1, ExifOrientation.read(farIfd, 0, 26), "IFD outside the block");
        assertEquals(1, ExifOrientation.read("Exif is not here".getBytes(StandardCharsets.US_ASCII), 0, 16));
    }

    // ---- applying it ----------------------------------------------------------------------------------------

    /** Each orientation undoes the way a camera would have stored the upright picture. */
    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyOrientationTurnsTheStoredImageUpright(int orientation) {
        RgbImage upright = TestImages.texture(7, 5, 80 + orientation); // non-square, so width/height swaps show
        RgbImage stored = storedAs(upright, orientation);
        assertSamePixels(upright, ExifOrientation.apply(stored, orientation), "orientation " + orientation);
    }

    // ---- per format -----------------------------------------------------------------------------------------

    @Test
    void jpegOrientationIsApplied() {
        RgbImage upright = TestImages.gradient(64, 48);
        byte[] jpeg = withExif(ImageOps.encodeJpeg(TestImages.rotateCounterClockwise(upright), 0.95f), 6, false);
        RgbImage decoded = decoder.decode(jpeg);
        assertEquals(64, decoded.width());
        assertEquals(48, decoded.height());
        ImageAssertions.assertClosePixels(upright, decoded, 16, 2.0, "JPEG orientation 6");
    }

    @Test
    void webpOrientationIsApplied() {
        RgbImage decoded = decoder.decode(resource("webp/texture-orientation-6.webp"));
        assertSamePixels(TestImages.texture(64, 48, 23), decoded, "WebP with EXIF orientation 6");
    }

    @Test
    void pngExifChunkOrientationIsApplied() {
        RgbImage upright = TestImages.texture(64, 48, 84);
        byte[] png = ImageOps.encodePng(TestImages.rotateClockwise(upright));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33); // signature and IHDR
        TestImages.writeChunk(out, "eXIf", tiffBlock(8, true));
        out.write(png, 33, png.length - 33);
        assertSamePixels(upright, decoder.decode(out.toByteArray()), "PNG with eXIf orientation 8");
    }

    @Test
    void tiffOrientationTagIsApplied() {
        RgbImage upright = TestImages.texture(64, 48, 85);
        byte[] tiff = TiffBuilder.rgb(storedAs(upright, 3)).tag(274, TiffBuilder.SHORT, 3).build();
        assertSamePixels(upright, decoder.decode(tiff), "TIFF orientation 3");
    }

    // ---- a real face, as a phone stores it ------------------------------------------------------------------

    /**
     * An LFW photo, cropped to landscape 250x200, its pixels rotated as a phone sensor stores a portrait, written
     * as a JPEG with an EXIF APP1 segment carrying orientation 6 (stored rotated counter-clockwise) or 8
     * (clockwise). Decoded, it is the original size again and the face pipeline finds the same face: the
     * embedding matches the original's. Without the EXIF segment the same pixels give a face on its side, which
     * does not match: that is what the orientation handling fixes.
     */
    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {6, 8})
    void sidewaysPhonePortraitIsRecognisedUpright(int orientation) throws IOException {
        RgbImage lfw = decoder.decode(TestData.lfwImage("Colin_Powell", 1));
        RgbImage original = crop(lfw, 0, 25, 250, 200);
        float[] reference = embedding(original).orElseThrow();

        RgbImage stored = orientation == 6 ? TestImages.rotateCounterClockwise(original) : TestImages.rotateClockwise(original);
        byte[] plain = ImageOps.encodeJpeg(stored, 0.95f);
        byte[] tagged = withExif(plain, orientation, orientation == 8);

        RgbImage decoded = decoder.decode(tagged);
        assertEquals(250, decoded.width(), "width restored");
        assertEquals(200, decoded.height(), "height restored");
        double upright = Embeddings.cosine(reference, embedding(decoded).orElseThrow());
        assertTrue(upright >= 0.9, "cosine with the original " + upright);

        RgbImage sideways = decoder.decode(plain);
        assertEquals(200, sideways.width());
        double control = embedding(sideways).map(e -> (double) Embeddings.cosine(reference, e)).orElse(0.0);
        assertTrue(control < 0.9 && control < upright - 0.2, "sideways face should not match: " + control + " vs " + upright);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Optional<float[]> embedding(RgbImage image) {
        return pipeline.bestFace(image).map(Face::embedding);
    }

    /** How a camera stores {@code upright} when it tags the file with the orientation. */
    static RgbImage storedAs(RgbImage upright, int orientation) {
        return switch (orientation) {
            case 1 -> upright;
            case 2 -> mirror(upright);
            case 3 -> mirror(flip(upright));
            case 4 -> flip(upright);
            case 5 -> flip(TestImages.rotateCounterClockwise(upright)); // transpose
            case 6 -> TestImages.rotateCounterClockwise(upright);
            case 7 -> mirror(TestImages.rotateCounterClockwise(upright)); // transverse
            case 8 -> TestImages.rotateClockwise(upright);
            default -> throw new IllegalArgumentException("orientation " + orientation);
        };
    }

    private static RgbImage mirror(RgbImage src) {
        byte[] out = new byte[src.pixels().length];
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < src.width(); x++) {
                System.arraycopy(src.pixels(), 3 * (y * src.width() + x), out, 3 * (y * src.width() + src.width() - 1 - x), 3);
            }
        }
        return new RgbImage(src.width(), src.height(), out);
    }

    private static RgbImage flip(RgbImage src) {
        byte[] out = new byte[src.pixels().length];
        int row = 3 * src.width();
        for (int y = 0; y < src.height(); y++) {
            System.arraycopy(src.pixels(), y * row, out, (src.height() - 1 - y) * row, row);
        }
        return new RgbImage(src.width(), src.height(), out);
    }

    private static RgbImage crop(RgbImage src, int left, int top, int w, int h) {
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src.pixels(), 3 * ((top + y) * src.width() + left), out, 3 * y * w, 3 * w);
        }
        return new RgbImage(w, h, out);
    }

    /**
     * A TIFF structure as EXIF stores it: header, IFD0 with one entry, Orientation (0x0112), type SHORT, one
     * value; 26 bytes.
     */
    static byte[] tiffBlock(int orientation, boolean littleEndian) {
        ByteBuffer b = ByteBuffer.allocate(26).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0); // no next IFD
        return b.array();
    }

    /** Inserts an APP1 "Exif" segment with the orientation after SOI and any JFIF APP0 segment. */
    static byte[] withExif(byte[] jpeg, int orientation, boolean littleEndian) {
        byte[] tiff = tiffBlock(orientation, littleEndian);
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length))
                .put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at += 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.writeBytes(app1.array());
        out.write(jpeg, at, jpeg.length - at);
        byte[] result = out.toByteArray();
        assertTrue(Arrays.equals(result, 0, 2, jpeg, 0, 2));
        return result;
    }
}
