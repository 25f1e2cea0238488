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
