package org.arcstream.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.arcstream.core.align.FaceAligner;
import org.arcstream.core.align.FivePoints;
import org.arcstream.core.align.ImageWarp;
import org.arcstream.core.align.Point2;
import org.arcstream.core.align.SimilarityTransform;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class TestTimeAugmentationTest {

    private static final int SIZE = FaceAligner.SIZE;

    @Test
    void eachShiftedViewMovesTheFaceByTheShift() {
        // a bright 3x3 block where the template's nose lands, in a black image at the template's own scale
        Point2 nose = FaceAligner.ARCFACE_TEMPLATE.get(2);
        byte[] px = new byte[3 * 300 * 300];
        for (int y = 99; y <= 101; y++) {
            for (int x = 149; x <= 151; x++) {
                for (int c = 0; c < 3; c++) {
                    px[3 * (y * 300 + x) + c] = (byte) 255;
                }
            }
        }
        FivePoints five = points(FaceAligner.ARCFACE_TEMPLATE.stream()
                .map(p -> new Point2(p.x() - nose.x() + 150, p.y() - nose.y() + 100)).toList());
        int shift = 3;
        TestTimeAugmentation tta = new TestTimeAugmentation(false, shift);

        List<RgbImage> views = tta.views(new FaceAligner().align(new RgbImage(300, 300, px), five, shift), SIZE);

        assertEquals(5, views.size());
        int[] centre = brightest(views.get(0));
        assertEquals(nose.x(), centre[0], 1, "the centre view is the aligned crop: the block sits on the template's nose");
        assertEquals(nose.y(), centre[1], 1);
        int[][] moves = {{0, 0}, {shift, 0}, {-shift, 0}, {0, shift}, {0, -shift}};
        for (int v = 1; v < 5; v++) {
            int[] at = brightest(views.get(v));
            assertEquals(centre[0] + moves[v][0], at[0], "view " + v + " x");
            assertEquals(centre[1] + moves[v][1], at[1], "view " + v + " y");
        }
    }

    @Test
    void aShiftedViewIsTheWarpOfTheTranslatedTransformNotAPaddedCrop() {
        // a textured image and a rotated, scaled face: every window must be the image re-warped, border included
        Random random = new Random(7);
        byte[] px = new byte[3 * 320 * 280];
        random.nextBytes(px);
        RgbImage image = new RgbImage(320, 280, px);
        double angle = Math.toRadians(17), scale = 1.6;
        FivePoints five = points(FaceAligner.ARCFACE_TEMPLATE.stream().map(p -> new Point2(
                scale * (Math.cos(angle) * p.x() - Math.sin(angle) * p.y()) + 90,
                scale * (Math.sin(angle) * p.x() + Math.cos(angle) * p.y()) + 20)).toList());
        FaceAligner aligner = new FaceAligner();
        SimilarityTransform t = aligner.transformFor(five);
        int shift = 2;
        TestTimeAugmentation tta = new TestTimeAugmentation(false, shift);

        List<RgbImage> views = tta.views(aligner.align(image, five, shift), SIZE);

        int[][] moves = {{0, 0}, {shift, 0}, {-shift, 0}, {0, shift}, {0, -shift}};
        for (int v = 0; v < 5; v++) {
            SimilarityTransform moved = new SimilarityTransform(t.a(), t.b(), t.tx() + moves[v][0], t.ty() + moves[v][1]);
            RgbImage direct = ImageWarp.warp(image, moved.inverse(), SIZE, SIZE);
            assertAtMostOneLevelApart(direct, views.get(v), "view " + v);
        }
        assertAtMostOneLevelApart(aligner.align(image, five), tta.centre(aligner.align(image, five, shift), SIZE), "centre");
    }

    @Test
    void flippingMirrorsEveryView() {
        byte[] px = new byte[3 * 116 * 116];
        new Random(3).nextBytes(px);
        TestTimeAugmentation both = new TestTimeAugmentation(true, 2);
        List<RgbImage> views = both.views(new RgbImage(116, 116, px), SIZE);
        List<RgbImage> shifted = new TestTimeAugmentation(false, 2).views(new RgbImage(116, 116, px), SIZE);

        assertEquals(10, views.size());
        assertEquals(10, both.views());
        for (int v = 0; v < 5; v++) {
            assertArrayEquals(shifted.get(v).pixels(), views.get(2 * v).pixels());
            assertArrayEquals(ImageOps.mirror(shifted.get(v)).pixels(), views.get(2 * v + 1).pixels());
        }
        assertEquals(1, TestTimeAugmentation.NONE.views());
        assertEquals(2, new TestTimeAugmentation(true, 0).views());
        assertEquals(5, new TestTimeAugmentation(false, 4).views());
    }

    @Test
    void aCropWithoutTheMarginIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TestTimeAugmentation(true, 2).views(new RgbImage(SIZE, SIZE, new byte[3 * SIZE * SIZE]), SIZE));
        assertTrue(e.getMessage().contains("expected a 116x116 crop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TestTimeAugmentation(false, -1));
    }

    private static FivePoints points(List<Point2> p) {
        return new FivePoints(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4));
    }

    /** The centre of the pixels at the image's highest red value. */
    private static int[] brightest(RgbImage image) {
        int max = -1;
        long sx = 0, sy = 0, n = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int v = image.get(x, y, 0);
                if (v > max) {
                    max = v;
                    sx = sy = n = 0;
                }
                if (v == max) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new int[] {(int) Math.round((double) sx / n), (int) Math.round((double) sy / n)};
    }

    private static void assertAtMostOneLevelApart(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.width(), actual.width(), what);
        byte[] a = expected.pixels(), b = actual.pixels();
        int off = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            assertTrue(d <= 1, what + ": byte " + i + " differs by " + d);
            off += d;
        }
        // rounding at exact half levels may differ by one in a few pixels, never more
        assertTrue(off < a.length / 100, what + ": " + off + " levels off in total");
    }
}
