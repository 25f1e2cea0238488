package org.arcstream.trainer.augment;

/** Separable Gaussian blur of one image plane, edges clamped: the lens of the camera model and the training blur. */
public final class GaussianBlur {

    private GaussianBlur() {}

    /** {@code src} row by row, {@code w x h}; a sigma of 0 or less returns {@code src} itself. */
    public static float[] blur(float[] src, int w, int h, double sigma) {
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
