package org.arcstream.trainer.domainshift;

import java.util.Random;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;

/**
 * Makes an aligned face crop look as if a poor CCTV camera had filmed it: grayscale, a face only
 * {@code minSize}..{@code maxSize} pixels wide (optical blur, then area-averaged downsampling), sensor
 * noise, strong JPEG compression, and the upsampling back to the model's input size that the pipeline
 * would do. Seeded, so an experiment is repeatable.
 */
public final class CctvDegradation {

    private final int minSize;
    private final int maxSize;
    private final double blurSigma;
    private final double noiseStd;
    private final float jpegQuality;
    private final Random random;

    /**
     * @param blurSigma Gaussian blur in pixels of the small face (lens and focus), before the noise
     * @param noiseStd Gaussian sensor noise in grey levels (0..255)
     */
    public CctvDegradation(int minSize, int maxSize, double blurSigma, double noiseStd, float jpegQuality, long seed) {
        if (minSize < 8 || maxSize < minSize) {
            throw new IllegalArgumentException("face size range must satisfy 8 <= min <= max, got " + minSize + ".." + maxSize);
        }
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.blurSigma = blurSigma;
        this.noiseStd = noiseStd;
        this.jpegQuality = jpegQuality;
        this.random = new Random(seed);
    }

    /** The defaults of the experiment: faces of 24 to 32 pixels, blur sigma 0.8, noise 6 grey levels, JPEG quality 0.5. */
    public static CctvDegradation poorCamera(long seed) {
        return new CctvDegradation(24, 32, 0.8, 6, 0.5f, seed);
    }

    public RgbImage apply(RgbImage crop) {
        int w = crop.width(), h = crop.height();
        float[] grey = new float[w * h];
        byte[] px = crop.pixels();
        for (int i = 0; i < grey.length; i++) {
            grey[i] = 0.299f * (px[3 * i] & 0xFF) + 0.587f * (px[3 * i + 1] & 0xFF) + 0.114f * (px[3 * i + 2] & 0xFF);
        }
        int size = minSize + random.nextInt(maxSize - minSize + 1);
        float[] small = areaResize(grey, w, h, size, size);
        small = blur(small, size, size, blurSigma);
        byte[] rgb = new byte[3 * size * size];
        for (int i = 0; i < small.length; i++) {
            int v = (int) Math.round(small[i] + random.nextGaussian() * noiseStd);
            byte b = (byte) Math.max(0, Math.min(255, v));
            rgb[3 * i] = b;
            rgb[3 * i + 1] = b;
            rgb[3 * i + 2] = b;
        }
        RgbImage tiny = new ImageDecoder().decode(ImageOps.encodeJpeg(new RgbImage(size, size, rgb), jpegQuality));
        return ImageOps.resize(tiny, w, h);
    }

    /** Each target pixel is the mean of the source area it covers (fractional overlaps weighted). */
    static float[] areaResize(float[] src, int sw, int sh, int tw, int th) {
        float[] out = new float[tw * th];
        double sx = (double) sw / tw, sy = (double) sh / th;
        for (int ty = 0; ty < th; ty++) {
            double y0 = ty * sy, y1 = y0 + sy;
            for (int tx = 0; tx < tw; tx++) {
                double x0 = tx * sx, x1 = x0 + sx, sum = 0, area = 0;
                for (int y = (int) y0; y < Math.min(sh, Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(sw, Math.ceil(x1)); x++) {
                        double wgt = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
                        sum += wgt * src[y * sw + x];
                        area += wgt;
                    }
                }
                out[ty * tw + tx] = (float) (sum / area);
            }
        }
        return out;
    }

    static float[] blur(float[] src, int w, int h, double sigma) {
        if (sigma <= 0) {
            return src;
        }
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            total += kernel[i + radius];
        }
        float[] tmp = new float[src.length], out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -radius; k <= radius; k++) {
                    s += kernel[k + radius] * src[y * w + Math.max(0, Math.min(w - 1, x + k))];
                }
                tmp[y * w + x] = (float) (s / total);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -radius; k <= radius; k++) {
                    s += kernel[k + radius] * tmp[Math.max(0, Math.min(h - 1, y + k)) * w + x];
                }
                out[y * w + x] = (float) (s / total);
            }
        }
        return out;
    }
}
