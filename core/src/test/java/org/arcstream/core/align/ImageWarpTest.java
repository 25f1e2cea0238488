package org.arcstream.core.align;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class ImageWarpTest {

    @Test
    void everyOutputPixelIsTheBilinearSampleWithABlackBorderInsideAndAcrossTheEdges() {
        byte[] px = new byte[3 * 40 * 30];
        new Random(7).nextBytes(px);
        RgbImage src = new RgbImage(40, 30, px);
        // rotated, scaled and shifted so that the output covers the inside, the edges and beyond them
        SimilarityTransform dstToSrc = new SimilarityTransform(0.9 * Math.cos(0.3), 0.9 * Math.sin(0.3), -6.3, -4.7);
        RgbImage warped = ImageWarp.warp(src, dstToSrc, 56, 48);
        byte[] expected = reference(src, dstToSrc, 56, 48);
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            // the warp walks each row incrementally, so a position may differ in its last bits: a level at most
            worst = Math.max(worst, Math.abs((expected[i] & 0xFF) - (warped.pixels()[i] & 0xFF)));
        }
        assertTrue(worst <= 1, "largest difference " + worst + " levels");
    }

    /** The definition, one tap at a time: a tap outside the image is 0. */
    private static byte[] reference(RgbImage src, SimilarityTransform t, int width, int height) {
        byte[] out = new byte[3 * width * height];
        for (int v = 0; v < height; v++) {
            for (int u = 0; u < width; u++) {
                double sx = t.a() * u - t.b() * v + t.tx(), sy = t.b() * u + t.a() * v + t.ty();
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int c = 0; c < 3; c++) {
                    double top = tap(src, x0, y0, c) + (tap(src, x0 + 1, y0, c) - tap(src, x0, y0, c)) * fx;
                    double bottom = tap(src, x0, y0 + 1, c) + (tap(src, x0 + 1, y0 + 1, c) - tap(src, x0, y0 + 1, c)) * fx;
                    out[3 * (v * width + u) + c] = (byte) Math.round(top + (bottom - top) * fy);
                }
            }
        }
        return out;
    }

    private static int tap(RgbImage src, int x, int y, int c) {
        return x < 0 || y < 0 || x >= src.width() || y >= src.height() ? 0 : src.pixels()[3 * (y * src.width() + x) + c] & 0xFF;
    }
}
