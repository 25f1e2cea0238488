package org.arcstream.trainer.experiment;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Grey images of one size with an integer class label each, held as unsigned bytes
 * ({@code size x rows x cols}); batches come out as normalized floats in NCHW order.
 */
public record LabeledImages(int rows, int cols, byte[] pixels, int[] labels) {

    /** Per-pixel mean and spread of the Fashion-MNIST training set, for zero-centred inputs. */
    static final float MEAN = 0.2860f;
    static final float STD = 0.3530f;

    /** The pixel array of an IDX image file. */
    public record Pixels(int count, int rows, int cols, byte[] data) {}

    public LabeledImages {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0 || pixels.length != (long) labels.length * rows * cols) {
            throw new IllegalArgumentException("pixels (" + pixels.length + " bytes) do not hold " + labels.length
                    + " images of " + rows + "x" + cols);
        }
    }

    /** Pairs an image file with its label file, which must hold one label per image. */
    public static LabeledImages of(Pixels images, int[] labels) {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
        }
        return new LabeledImages(images.rows(), images.cols(), images.data(), labels);
    }

    public int size() {
        return labels.length;
    }

    public int label(int index) {
        return labels[index];
    }

    /** The images at {@code indices}, in that order. */
    public LabeledImages select(int[] indices) {
        int pixelsPerImage = rows * cols;
        byte[] out = new byte[indices.length * pixelsPerImage];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * pixelsPerImage, out, i * pixelsPerImage, pixelsPerImage);
            outLabels[i] = labels[indices[i]];
        }
        return new LabeledImages(rows, cols, out, outLabels);
    }

    /** {@code count} images drawn without replacement (all of them, shuffled, when there are fewer). */
    public LabeledImages sample(int count, Random random) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return select(Arrays.copyOf(order, Math.min(count, order.length)));
    }

    /** The images whose label {@code keep} accepts, in their order. */
    public LabeledImages filter(IntPredicate keep) {
        return select(IntStream.range(0, size()).filter(i -> keep.test(labels[i])).toArray());
    }

    /** The same images with every label replaced by {@code mapping[label]}. */
    public LabeledImages relabel(int[] mapping) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = mapping[labels[i]];
        }
        return new LabeledImages(rows, cols, pixels, out);
    }

    /**
     * Images {@code indices} as one {@code (n, 1, rows, cols)} float batch in row-major order,
     * scaled to [0, 1] and standardized with the training-set mean and spread.
     */
    public float[] batch(int[] indices) {
        return batch(indices, ImageAugmentation.NONE, null);
    }

    /** As {@link #batch(int[])}, each image changed by {@code augmentation} with draws from {@code random}. */
    public float[] batch(int[] indices, ImageAugmentation augmentation, Random random) {
        int pixelsPerImage = rows * cols;
        byte[] changed = augmentation.isNone() ? null : new byte[pixelsPerImage];
        float[] out = new float[indices.length * pixelsPerImage];
        for (int i = 0; i < indices.length; i++) {
            byte[] source = pixels;
            int from = indices[i] * pixelsPerImage, to = i * pixelsPerImage;
            if (changed != null) {
                augmentation.apply(pixels, from, changed, 0, rows, cols, random);
                source = changed;
                from = 0;
            }
            for (int p = 0; p < pixelsPerImage; p++) {
                out[to + p] = ((source[from + p] & 0xff) / 255f - MEAN) / STD;
            }
        }
        return out;
    }

    /** Labels at {@code indices}. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[indices[i]];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledImages other && rows == other.rows && cols == other.cols
                && Arrays.equals(pixels, other.pixels) && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pixels) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "LabeledImages[" + size() + " images of " + rows + "x" + cols + "]";
    }
}
