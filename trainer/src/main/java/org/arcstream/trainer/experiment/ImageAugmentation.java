package org.arcstream.trainer.experiment;

import java.util.Random;

/**
 * Random changes of training images, drawn anew for every image in every epoch: a shift by up to {@code maxShift}
 * pixels along each axis (what moves in from the border is background, grey level 0) and, with {@code mirror}, a
 * left-right mirror image half of the time. Both losses of the experiment draw the same changes in the same order.
 */
public record ImageAugmentation(int maxShift, boolean mirror) {

    /** No change: every image as it is. */
    public static final ImageAugmentation NONE = new ImageAugmentation(0, false);

    /** Largest shift accepted; beyond it a 28x28 picture loses too much of itself. */
    public static final int MAX_SHIFT = 8;

    public ImageAugmentation {
        if (maxShift < 0 || maxShift > MAX_SHIFT) {
            throw new IllegalArgumentException("the shift must be 0 to " + MAX_SHIFT + " pixels, got " + maxShift);
        }
    }

    public boolean isNone() {
        return maxShift == 0 && !mirror;
    }

    /**
     * Copies one {@code rows x cols} image from {@code source} at {@code from} into {@code target} at {@code to},
     * changed by a draw from {@code random}.
     */
    void apply(byte[] source, int from, byte[] target, int to, int rows, int cols, Random random) {
        int dy = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
        int dx = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
        boolean flip = mirror && random.nextBoolean();
        for (int r = 0; r < rows; r++) {
            int sr = r - dy;
            for (int c = 0; c < cols; c++) {
                int sc = (flip ? cols - 1 - c : c) - dx;
                target[to + r * cols + c] = sr >= 0 && sr < rows && sc >= 0 && sc < cols ? source[from + sr * cols + sc] : 0;
            }
        }
    }
}
