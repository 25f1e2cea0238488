package org.arcstream.trainer.domainshift;

import java.util.Random;
import org.arcstream.trainer.augment.GaussianBlur;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;

/**
 * Makes an aligned face crop look as if a poor CCTV camera had filmed it: grayscale or colour, an exposure
 * curve (gamma), a face only {@code minSize}..{@code maxSize} pixels wide (area-averaged downsampling, then
 * optical blur), sensor noise, strong JPEG compression, and the upsampling back to the model's input size
 * that the pipeline would do. Seeded, so an experiment is repeatable.
 */
public final class CctvDegradation {

    private final int minSize;
    private final int maxSize;
    private final double blurSigma;
    private final double noiseStd;
    private final float jpegQuality;
    private final boolean grayscale;
    private final double gamma;
    private final Random random;

    /**
     * @param blurSigma Gaussian blur in pixels of the small face (lens and focus), before the noise
     * @param noiseStd Gaussian sensor noise in grey levels (0..255)
     */
    public CctvDegradation(int minSize, int maxSize, double blurSigma, double noiseStd, float jpegQuality, long seed) {
        this(minSize, maxSize, blurSigma, noiseStd, jpegQuality, true, 1, seed);
    }

    /**
     * @param grayscale a monochrome (night-capable) camera; otherwise colour is kept and each channel gets its own noise
     * @param gamma exposure curve applied to the scene first: above 1 darkens the mid-tones (underexposed), below 1 lifts them
     */
    public CctvDegradation(int minSize, int maxSize, double blurSigma, double noiseStd, float jpegQuality, boolean grayscale,
            double gamma, long seed) {
        if (minSize < 8 || maxSize < minSize) {
            throw new IllegalArgumentException("face size range must satisfy 8 <= min <= max, got " + minSize + ".." + maxSize);
        }
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive, got " + gamma);
        }
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.blurSigma = blurSigma;
        this.noiseStd = noiseStd;
        this.jpegQuality = jpegQuality;
        this.grayscale = grayscale;
        this.gamma = gamma;
        this.random = new Random(seed);
    }

    /** The experiment's training camera: grayscale, faces of 24 to 32 pixels, blur sigma 0.8, noise 6 grey levels, JPEG quality 0.5. */
    public static CctvDegradation poorCamera(long seed) {
        return new CctvDegradation(24, 32, 0.8, 6, 0.5f, seed);
    }

    /**
     * A second, different camera that training never sees: colour, underexposed (gamma 1.5), faces of 20 to 28
     * pixels, a softer lens (blur sigma 1.1), noise 8 levels per channel, JPEG quality 0.4.
     */
    public static CctvDegradation otherCamera(long seed) {
        return new CctvDegradation(20, 28, 1.1, 8, 0.4f, false, 1.5, seed);
    }

    /** What the camera does, for reports. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s, gamma %.2f, face %d-%d px, blur sigma %.2f, noise %.1f, JPEG %.2f",
                grayscale ? "grayscale" : "colour", gamma, minSize, maxSize, blurSigma, noiseStd, jpegQuality);
    }

    public RgbImage apply(RgbImage crop) {
        int w = crop.width(), h = crop.height();
        int channels = grayscale ? 1 : 3;
        byte[] px = crop.pixels();
        float[][] planes = new float[channels][w * h];
        for (int i = 0; i < w * h; i++) {
            if (grayscale) {
                planes[0][i] = exposed(0.299f * (px[3 * i] & 0xFF) + 0.587f * (px[3 * i + 1] & 0xFF) + 0.114f * (px[3 * i + 2] & 0xFF));
            } else {
                for (int c = 0; c < 3; c++) {
                    planes[c][i] = exposed(px[3 * i + c] & 0xFF);
                }
            }
        }
        int size = minSize + random.nextInt(maxSize - minSize + 1);
        byte[] rgb = new byte[3 * size * size];
        for (int c = 0; c < channels; c++) {
            float[] small = GaussianBlur.blur(areaResize(planes[c], w, h, size, size), size, size, blurSigma);
            for (int i = 0; i < small.length; i++) {
                int v = (int) Math.round(small[i] + random.nextGaussian() * noiseStd);
                byte b = (byte) Math.max(0, Math.min(255, v));
                if (grayscale) {
                    rgb[3 * i] = b;
                    rgb[3 * i + 1] = b;
                    rgb[3 * i + 2] = b;
                } else {
                    rgb[3 * i + c] = b;
                }
            }
        }
        RgbImage tiny = new ImageDecoder().decode(ImageOps.encodeJpeg(new RgbImage(size, size, rgb), jpegQuality));
        return ImageOps.resize(tiny, w, h);
    }

    private float exposed(float value) {
        return gamma == 1 ? value : (float) (255 * Math.pow(value / 255.0, gamma));
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
}
