package org.arcstream.core.align;

import org.arcstream.core.image.RgbImage;

/** Bilinear resampling of an image through a similarity transform, zero outside the source. */
public final class ImageWarp {

    private ImageWarp() {}

    /**
     * Returns the {@code width x height} image whose pixel (u, v) is the source sampled at
     * {@code dstToSrc(u, v)}, like OpenCV's warpAffine with WARP_INVERSE_MAP and a constant 0 border.
     */
    public static RgbImage warp(RgbImage src, SimilarityTransform dstToSrc, int width, int height) {
        byte[] out = new byte[3 * width * height];
        byte[] in = src.pixels();
        int sw = src.width(), sh = src.height();
        double a = dstToSrc.a(), b = dstToSrc.b();
        int o = 0;
        for (int v = 0; v < height; v++) {
            // walk the row incrementally: the source position moves by (a, b) per output pixel
            double sx = -b * v + dstToSrc.tx();
            double sy = a * v + dstToSrc.ty();
            for (int u = 0; u < width; u++, sx += a, sy += b, o += 3) {
                if (sx >= 0 && sy >= 0 && sx < sw - 1 && sy < sh - 1) {
                    // all four taps inside: the common case, without the per-tap bounds checks
                    int x0 = (int) sx, y0 = (int) sy;
                    double fx = sx - x0, fy = sy - y0;
                    int p = 3 * (y0 * sw + x0), below = p + 3 * sw;
                    for (int c = 0; c < 3; c++) {
                        double top = lerp(in[p + c] & 0xFF, in[p + 3 + c] & 0xFF, fx);
                        double bottom = lerp(in[below + c] & 0xFF, in[below + 3 + c] & 0xFF, fx);
                        out[o + c] = (byte) roundLevel(lerp(top, bottom, fy));
                    }
                    continue;
                }
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) {
                    continue;
                }
                double fx = sx - x0, fy = sy - y0;
                for (int c = 0; c < 3; c++) {
                    double top = lerp(pixel(in, sw, sh, x0, y0, c), pixel(in, sw, sh, x0 + 1, y0, c), fx);
                    double bottom = lerp(pixel(in, sw, sh, x0, y0 + 1, c), pixel(in, sw, sh, x0 + 1, y0 + 1, c), fx);
                    out[o + c] = (byte) roundLevel(lerp(top, bottom, fy));
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int pixel(byte[] in, int w, int h, int x, int y, int c) {
        if (x < 0 || y < 0 || x >= w || y >= h) {
            return 0;
        }
        return in[3 * (y * w + x) + c] & 0xFF;
    }

    /** Half up, as {@code Math.round} for these non-negative mixes of levels, without its slow path on Java 17. */
    private static int roundLevel(double v) {
        return (int) (v + 0.5);
    }

    private static double lerp(double p, double q, double t) {
        return p + (q - p) * t;
    }
}
