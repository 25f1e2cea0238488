package org.arcstream.core.image;

import static org.arcstream.core.image.ImageAssertions.assertClosePixels;
import static org.arcstream.core.image.ImageAssertions.assertSamePixels;
import static org.arcstream.core.image.ImageAssertions.resource;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.arcstream.core.TestData;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.junit.jupiter.api.Test;

/**
 * One real face saved in every format decodes to the same pixels where the format is lossless, so recognition
 * does not depend on how a picture happened to be saved.
 */
class FormatEquivalenceTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void losslessFormatsOfOneFaceDecodeToIdenticalPixels() throws IOException {
        RgbImage face = decoder.decode(TestData.lfwImage("Colin_Powell", 1));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("PNG", ImageOps.encodePng(face));
        files.put("BMP", TestImages.encode(ImageOps.toBufferedImage(face), "bmp"));
        files.put("TIFF (LZW)", ImageFormatsTest.tiff(ImageOps.toBufferedImage(face), "LZW"));
        files.put("TIFF (Deflate)", ImageFormatsTest.tiff(ImageOps.toBufferedImage(face), "Deflate"));
        // made from the same decoded JPEG with cwebp -lossless -exact (see the fixtures' README)
        files.put("WebP (lossless)", resource("webp/Colin_Powell_0001-lossless.webp"));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertSamePixels(face, decoder.decode(file.getValue()), file.getKey());
        }
    }

    /** GIF holds 256 colours, so it is lossy for a photo; the face must still be the same person. */
    @Test
    void paletteGifOfTheFaceIsCloseAndStillRecognised() throws IOException {
        RgbImage face = decoder.decode(TestData.lfwImage("Colin_Powell", 1));
        RgbImage gif = decoder.decode(TestImages.encode(ImageOps.toBufferedImage(face), "gif"));
        assertClosePixels(face, gif, 255, 12.0, "GIF");
        try (FacePipeline pipeline = new FacePipeline(TestData.defaultConfig())) {
            float[] original = pipeline.bestFace(face).map(Face::embedding).orElseThrow();
            float[] fromGif = pipeline.bestFace(gif).map(Face::embedding).orElseThrow();
            double cosine = Embeddings.cosine(original, fromGif);
            assertTrue(cosine >= 0.9, "cosine " + cosine);
        }
    }
}
