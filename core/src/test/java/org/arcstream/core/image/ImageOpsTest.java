package org.arcstream.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageOpsTest {

    @ParameterizedTest
    @CsvSource({"7,5,7,5", "7,5,3,2", "7,5,20,13", "250,250,112,112", "1,1,9,4", "16,9,1,1"})
    void resizingAConstantImageKeepsItConstant(int sw, int sh, int dw, int dh) {
        byte[] px = new byte[3 * sw * sh];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 17;
            px[i + 1] = (byte) 128;
            px[i + 2] = (byte) 255;
        }
        RgbImage out = ImageOps.resize(new RgbImage(sw, sh, px), dw, dh);
        assertEquals(dw, out.width());
        assertEquals(dh, out.height());
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                assertEquals(17, out.get(x, y, 0));
                assertEquals(128, out.get(x, y, 1));
                assertEquals(255, out.get(x, y, 2));
            }
        }
    }

    /**
     * 2x2 -> 4x4 with OpenCV INTER_LINEAR. Per axis the scale is 0.5, so destination index d samples
     * source coordinate (d + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25; the outer two clamp to the edge pixels,
     * giving tap weights (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1). With source [[0, 100], [200, 40]]:
     * rows interpolate to [0, 25, 75, 100] and [200, 160, 80, 40], and the middle rows mix those 3:1 and 1:3.
     * OpenCV's fixed-point path rounds 58.75 -> 59, 76.25 -> 76, 126.25 -> 126, 78.75 -> 79 as well.
     */
    @Test
    void upscale2x2To4x4MatchesOpenCv() {
        int[] red = {0, 100, 200, 40};
        byte[] px = new byte[12];
        for (int i = 0; i < 4; i++) {
            px[3 * i] = (byte) red[i];
            px[3 * i + 1] = (byte) (255 - red[i]);
            px[3 * i + 2] = (byte) 7;
        }
        RgbImage out = ImageOps.resize(new RgbImage(2, 2, px), 4, 4);
        int[][] expected = {
            {0, 25, 75, 100},
            {50, 59, 76, 85},
            {150, 126, 79, 55},
            {200, 160, 80, 40},
        };
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(expected[y][x], out.get(x, y, 0), "red at " + x + "," + y);
                assertEquals(255 - expected[y][x], out.get(x, y, 1), "green at " + x + "," + y);
                assertEquals(7, out.get(x, y, 2), "blue at " + x + "," + y);
            }
        }
    }

    /** Halving samples at source coordinate 2d + 0.5, i.e. the mean of each 2x2 block (what OpenCV returns too). */
    @Test
    void downscale4x4To2x2AveragesBlocks() {
        int[] values = {
            0, 4, 100, 108,
            8, 12, 116, 124,
            200, 200, 40, 40,
            220, 220, 60, 80,
        };
        byte[] px = new byte[48];
        for (int i = 0; i < 16; i++) {
            Arrays.fill(px, 3 * i, 3 * i + 3, (byte) values[i]);
        }
        RgbImage out = ImageOps.resize(new RgbImage(4, 4, px), 2, 2);
        assertEquals(6, out.get(0, 0, 0));
        assertEquals(112, out.get(1, 0, 0));
        assertEquals(210, out.get(0, 1, 0));
        assertEquals(55, out.get(1, 1, 2));
    }

    @Test
    void resizeToTheSameSizeIsIdentity() {
        RgbImage src = TestImages.texture(31, 17, 1);
        assertArrayEquals(src.pixels(), ImageOps.resize(src, 31, 17).pixels());
    }

    @Test
    void resizeRejectsNonPositiveSizes() {
        RgbImage src = TestImages.texture(4, 4, 2);
        assertThrows(IllegalArgumentException.class, () -> ImageOps.resize(src, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> ImageOps.resize(src, 4, -1));
    }

    @Test
    void mirrorFlipsHorizontally() {
        RgbImage src = new RgbImage(3, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new byte[] {7, 8, 9, 4, 5, 6, 1, 2, 3}, ImageOps.mirror(src).pixels());
    }

    @Test
    void mirrorTwiceIsIdentity() {
        RgbImage src = TestImages.texture(33, 20, 3);
        RgbImage once = ImageOps.mirror(src);
        assertEquals(src.get(0, 5, 1), once.get(32, 5, 1));
        assertArrayEquals(src.pixels(), ImageOps.mirror(once).pixels());
    }

    @Test
    void toBufferedImageKeepsEveryPixel() {
        RgbImage src = TestImages.texture(19, 11, 4);
        BufferedImage image = ImageOps.toBufferedImage(src);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 19; x++) {
                int rgb = image.getRGB(x, y);
                assertEquals(src.get(x, y, 0), (rgb >> 16) & 0xFF);
                assertEquals(src.get(x, y, 1), (rgb >> 8) & 0xFF);
                assertEquals(src.get(x, y, 2), rgb & 0xFF);
            }
        }
        assertArrayEquals(src.pixels(), RgbConverter.toRgb(image).pixels());
    }

    @Test
    void pngRoundTripIsLossless() {
        RgbImage src = TestImages.texture(40, 30, 5);
        assertArrayEquals(src.pixels(), new ImageDecoder().decode(ImageOps.encodePng(src)).pixels());
    }

    @Test
    void jpegQualityControlsSizeAndIsValidated() {
        RgbImage src = TestImages.texture(64, 64, 6);
        byte[] low = ImageOps.encodeJpeg(src, 0.2f);
        byte[] high = ImageOps.encodeJpeg(src, 0.95f);
        assertEquals(64, new ImageDecoder().decode(low).width());
        assertTrue(high.length > low.length, high.length + " vs " + low.length);
        assertThrows(IllegalArgumentException.class, () -> ImageOps.encodeJpeg(src, 1.5f));
        assertThrows(IllegalArgumentException.class, () -> ImageOps.encodeJpeg(src, Float.NaN));
    }
}
