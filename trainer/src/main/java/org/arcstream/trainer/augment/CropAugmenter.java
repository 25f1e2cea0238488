package org.arcstream.trainer.augment;

import java.util.SplittableRandom;
import org.arcstream.core.align.ImageWarp;
import org.arcstream.core.align.SimilarityTransform;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;

/**
 * Applies a {@link TrainingAugmentation} to training crops. The view of a crop depends only on the run's seed, the
 * epoch and the crop's index, not on the batch order or on other crops, so a run is reproduced exactly by its seed.
 * Order of the operations: re-crop, colour jitter, grayscale, blur, noise, JPEG (geometry first, then what the
 * scene's light does, then what the camera does).
 */
public final class CropAugmenter {

    private final TrainingAugmentation settings;
    private final long seed;

    public CropAugmenter(TrainingAugmentation settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /** The view of training crop {@code index} in {@code epoch}; the same arguments give the same image. */
    public RgbImage apply(RgbImage crop, int epoch, int index) {
        SplittableRandom random = new SplittableRandom(mix(mix(seed) ^ mix(((long) epoch << 32) | (index & 0xFFFFFFFFL))));
        RgbImage out = crop;
        if (settings.crop() > 0) {
            double c = settings.crop();
            out = recrop(out, 1 + uniform(random, c), uniform(random, c), uniform(random, c));
        }
        if (settings.jitter() > 0) {
            double j = settings.jitter();
            out = jitter(out, 1 + uniform(random, j), 1 + uniform(random, j), 1 + uniform(random, j));
        }
        if (settings.grayscale() > 0 && random.nextDouble() < settings.grayscale()) {
            out = grayscale(out);
        }
        if (settings.blur() > 0) {
            out = blur(out, random.nextDouble() * settings.blur());
        }
        if (settings.noise() > 0) {
            out = noise(out, random.nextDouble() * settings.noise(), random);
        }
        if (settings.jpeg() > 0) {
            out = jpeg(out, (float) (settings.jpeg() + random.nextDouble() * (1 - settings.jpeg())));
        }
        return out;
    }

    /**
     * The crop seen through a camera {@code scale} times closer (above 1: the face fills more of the crop), moved by
     * {@code shiftX}, {@code shiftY} of the crop's size, resampled bilinearly at the same size; zero where it leaves
     * the crop, as the aligner pads.
     */
    static RgbImage recrop(RgbImage crop, double scale, double shiftX, double shiftY) {
        int w = crop.width(), h = crop.height();
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        // output pixel u samples the source at (u - c) / scale + c - shift
        return ImageWarp.warp(crop, SimilarityTransform.scaleThenShift(1 / scale, cx - cx / scale - shiftX * w, cy - cy / scale - shiftY * h), w, h);
    }

    /** Brightness multiplies every value; contrast scales around the crop's mean grey; saturation around each pixel's grey. */
    static RgbImage jitter(RgbImage crop, double brightness, double contrast, double saturation) {
        byte[] px = crop.pixels();
        int n = crop.width() * crop.height();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += grey(px, i);
        }
        mean = brightness * mean / n;
        byte[] out = new byte[px.length];
        for (int i = 0; i < n; i++) {
            double g = contrast * (brightness * grey(px, i) - mean) + mean;
            for (int c = 0; c < 3; c++) {
                double v = contrast * (brightness * (px[3 * i + c] & 0xFF) - mean) + mean;
                out[3 * i + c] = clamp(g + saturation * (v - g));
            }
        }
        return new RgbImage(crop.width(), crop.height(), out);
    }

    static RgbImage grayscale(RgbImage crop) {
        byte[] px = crop.pixels();
        byte[] out = new byte[px.length];
        for (int i = 0; i < px.length / 3; i++) {
            byte g = clamp(grey(px, i));
            out[3 * i] = g;
            out[3 * i + 1] = g;
            out[3 * i + 2] = g;
        }
        return new RgbImage(crop.width(), crop.height(), out);
    }

    static RgbImage blur(RgbImage crop, double sigma) {
        int w = crop.width(), h = crop.height();
        byte[] px = crop.pixels();
        byte[] out = new byte[px.length];
        for (int c = 0; c < 3; c++) {
            float[] plane = new float[w * h];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = px[3 * i + c] & 0xFF;
            }
            float[] blurred = GaussianBlur.blur(plane, w, h, sigma);
            for (int i = 0; i < plane.length; i++) {
                out[3 * i + c] = clamp(blurred[i]);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Gaussian noise of {@code std} grey levels; a grey crop gets grey noise (one value per pixel), as a monochrome sensor. */
    static RgbImage noise(RgbImage crop, double std, SplittableRandom random) {
        byte[] px = crop.pixels();
        boolean grey = isGrey(px);
        byte[] out = new byte[px.length];
        for (int i = 0; i < px.length / 3; i++) {
            double shared = grey ? random.nextGaussian() * std : 0;
            for (int c = 0; c < 3; c++) {
                double n = grey ? shared : random.nextGaussian() * std;
                out[3 * i + c] = clamp((px[3 * i + c] & 0xFF) + n);
            }
        }
        return new RgbImage(crop.width(), crop.height(), out);
    }

    /** Encoded as JPEG at {@code quality} (0..1) and decoded again: the blocks and ringing of a compressed stream. */
    static RgbImage jpeg(RgbImage crop, float quality) {
        return new ImageDecoder().decode(ImageOps.encodeJpeg(crop, quality));
    }

    private static double grey(byte[] px, int i) {
        return 0.299 * (px[3 * i] & 0xFF) + 0.587 * (px[3 * i + 1] & 0xFF) + 0.114 * (px[3 * i + 2] & 0xFF);
    }

    private static boolean isGrey(byte[] px) {
        for (int i = 0; i < px.length; i += 3) {
            if (px[i] != px[i + 1] || px[i] != px[i + 2]) {
                return false;
            }
        }
        return true;
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }

    /** Uniform in [-max, max]. */
    private static double uniform(SplittableRandom random, double max) {
        return (2 * random.nextDouble() - 1) * max;
    }

    /** SplitMix64's finalizer: nearby seeds, epochs and indices give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
