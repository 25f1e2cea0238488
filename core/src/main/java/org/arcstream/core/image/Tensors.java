package org.arcstream.core.image;


/** Conversions from images to the planar float tensors the models take. */
public final class Tensors {

    private Tensors() {}

    /** RGB planes (C, H, W) with each value mapped to (pixel - mean) / std. */
    public static float[] toChw(RgbImage image, float mean, float std) {
        float[] out = new float[3 * image.width() * image.height()];
        writeChw(image, mean, std, false, out, 0);
        return out;
    }

    /**
     * {@code toChw(ImageOps.resize(image, width, height), mean, std)} in one pass, without the resized image in
     * between: the same values (each resized pixel rounded to 8 bits, then normalized), at a fraction of the cost.
     * The detector's input is made this way for every frame.
     */
    public static float[] resizedChw(RgbImage image, int width, int height, float mean, float std) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        int sw = image.width();
        int[] x0 = new int[width], x1 = new int[width], y0 = new int[height], y1 = new int[height];
        float[] fx = new float[width], fy = new float[height];
        ImageOps.samplingGrid(sw, width, x0, x1, fx);
        ImageOps.samplingGrid(image.height(), height, y0, y1, fy);
        float[] normalized = new float[256];
        float scale = 1f / std;
        for (int v = 0; v < 256; v++) {
            normalized[v] = (v - mean) * scale;
        }
        byte[] in = image.pixels();
        int plane = width * height;
        float[] out = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            int top = 3 * y0[y] * sw, bottom = 3 * y1[y] * sw;
            float wy = fy[y];
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int tl = top + 3 * x0[x], tr = top + 3 * x1[x], bl = bottom + 3 * x0[x], br = bottom + 3 * x1[x];
                float wx = fx[x];
                for (int c = 0; c < 3; c++) {
                    float p00 = in[tl + c] & 0xFF, p01 = in[tr + c] & 0xFF, p10 = in[bl + c] & 0xFF, p11 = in[br + c] & 0xFF;
                    // the arithmetic of ImageOps.resize, step for step, so that the values are identical
                    float upper = p00 + (p01 - p00) * wx;
                    float lower = p10 + (p11 - p10) * wx;
                    float v = upper + (lower - upper) * wy;
                    out[c * plane + row + x] = normalized[Math.min(255, Math.max(0, Math.round(v)))];
                }
            }
        }
        return out;
    }

    /**
     * Writes (C, H, W) planes of {@code image} into {@code out} at {@code offset};
     * {@code bgr} swaps the channel order for models trained on BGR input.
     */
    public static void writeChw(RgbImage image, float mean, float std, boolean bgr, float[] out, int offset) {
        int plane = image.width() * image.height();
        byte[] px = image.pixels();
        float scale = 1f / std;
        int r = offset + (bgr ? 2 * plane : 0), g = offset + plane, b = offset + (bgr ? 0 : 2 * plane);
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            out[r + i] = ((px[p] & 0xFF) - mean) * scale;
            out[g + i] = ((px[p + 1] & 0xFF) - mean) * scale;
            out[b + i] = ((px[p + 2] & 0xFF) - mean) * scale;
        }
    }
}
