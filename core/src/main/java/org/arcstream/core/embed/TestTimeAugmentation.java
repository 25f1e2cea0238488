package org.arcstream.core.embed;

import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;

/**
 * Test-time augmentation: the views of an aligned face whose embeddings are added and normalized into one.
 * The views are the crop itself, with {@code shift > 0} the crop moved by {@code shift} pixels left, right,
 * up and down, and with {@code flip} the mirror image of each of those. Every view is one more model run.
 *
 * <p>A shifted view is the face warped through the alignment transform translated by the shift, so its
 * border holds the image's pixels, not padding. It is cut from a crop warped with {@link #margin()} pixels
 * on every side (the alignment transform translated by the margin): an integer translation of the transform
 * moves the sampling grid by whole pixels, so each window of that larger warp is the shifted warp itself.
 *
 * @param shift pixels at the model's input size; 0 turns shifts off
 */
public record TestTimeAugmentation(boolean flip, int shift) {

    public static final TestTimeAugmentation NONE = new TestTimeAugmentation(false, 0);

    public TestTimeAugmentation {
        if (shift < 0) {
            throw new IllegalArgumentException("the test-time shift must be 0 (off) or a positive number of pixels, got " + shift);
        }
    }

    /** Pixels the crop needs around it on every side for the shifted views. */
    public int margin() {
        return shift;
    }

    /** Model runs per face. */
    public int views() {
        return (shift > 0 ? 5 : 1) * (flip ? 2 : 1);
    }

    /** Without the shifts: for crops that have no margin (stored crops), only the flip applies. */
    public TestTimeAugmentation withoutShift() {
        return new TestTimeAugmentation(flip, 0);
    }

    /**
     * The views of a face from its crop with {@link #margin()} pixels on every side, each {@code size x size}:
     * the centre, then shifted right, left, down and up (the face moves that way in the view), each followed by
     * its mirror image when flipping.
     */
    public List<RgbImage> views(RgbImage withMargin, int size) {
        int m = margin();
        if (withMargin.width() != size + 2 * m || withMargin.height() != size + 2 * m) {
            throw new IllegalArgumentException("expected a " + (size + 2 * m) + "x" + (size + 2 * m) + " crop (" + size
                    + " and a margin of " + m + "), got " + withMargin.width() + "x" + withMargin.height());
        }
        // window origin (x, y) in the larger crop: the face sits at +m, so an origin of m - dx moves it by +dx
        int[][] origins = m == 0 ? new int[][] {{0, 0}} : new int[][] {{m, m}, {0, m}, {2 * m, m}, {m, 0}, {m, 2 * m}};
        List<RgbImage> out = new ArrayList<>(views());
        for (int[] o : origins) {
            RgbImage view = window(withMargin, o[0], o[1], size);
            out.add(view);
            if (flip) {
                out.add(ImageOps.mirror(view));
            }
        }
        return out;
    }

    /** The centre {@code size x size} window of a crop with {@link #margin()} pixels on every side: the plain aligned crop. */
    public RgbImage centre(RgbImage withMargin, int size) {
        return margin() == 0 ? withMargin : window(withMargin, margin(), margin(), size);
    }

    static RgbImage window(RgbImage src, int x, int y, int size) {
        byte[] out = new byte[3 * size * size];
        for (int row = 0; row < size; row++) {
            System.arraycopy(src.pixels(), 3 * ((y + row) * src.width() + x), out, 3 * row * size, 3 * size);
        }
        return new RgbImage(size, size, out);
    }
}
