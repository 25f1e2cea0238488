package org.arcstream.core.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {

    @Test
    void landmarksOfAFaceLandOnTheTemplate() {
        // a face twice the template size, shifted by (50, 20) in a 400x300 image
        List<Point2> points = FaceAligner.ARCFACE_TEMPLATE.stream().map(p -> new Point2(2 * p.x() + 50, 2 * p.y() + 20)).toList();
        FivePoints five = new FivePoints(points.get(0), points.get(1), points.get(2), points.get(3), points.get(4));
        SimilarityTransform t = new FaceAligner().transformFor(five);
        for (int i = 0; i < 5; i++) {
            Point2 mapped = t.apply(points.get(i));
            assertEquals(FaceAligner.ARCFACE_TEMPLATE.get(i).x(), mapped.x(), 1e-9);
            assertEquals(FaceAligner.ARCFACE_TEMPLATE.get(i).y(), mapped.y(), 1e-9);
        }
    }

    @Test
    void warpMovesPixelsWhereTheTransformSays() {
        // a white 3x3 block centred at (150, 100) in a black image; the nose point sits there
        byte[] px = new byte[3 * 400 * 300];
        for (int y = 99; y <= 101; y++) {
            for (int x = 149; x <= 151; x++) {
                for (int c = 0; c < 3; c++) {
                    px[3 * (y * 400 + x) + c] = (byte) 255;
                }
            }
        }
        RgbImage image = new RgbImage(400, 300, px);
        Point2 nose = FaceAligner.ARCFACE_TEMPLATE.get(2);
        // the template shifted so that its nose lands on (150, 100), same scale
        List<Point2> points = FaceAligner.ARCFACE_TEMPLATE.stream()
                .map(p -> new Point2(p.x() - nose.x() + 150, p.y() - nose.y() + 100)).toList();
        FivePoints five = new FivePoints(points.get(0), points.get(1), points.get(2), points.get(3), points.get(4));

        RgbImage crop = new FaceAligner().align(image, five);

        assertEquals(112, crop.width());
        int nx = (int) Math.round(nose.x()), ny = (int) Math.round(nose.y());
        assertEquals(255, crop.get(nx, ny, 0), 1);
        assertEquals(0, crop.get(nx + 5, ny, 0));
        assertEquals(0, crop.get(nx, ny - 5, 1));
    }

    @Test
    void outsideTheImageIsBlack() {
        byte[] px = new byte[3 * 20 * 20];
        java.util.Arrays.fill(px, (byte) 200);
        RgbImage image = new RgbImage(20, 20, px);
        RgbImage shifted = ImageWarp.warp(image, SimilarityTransform.scaleThenShift(1, 10, 0), 20, 20);
        assertEquals(200, shifted.get(5, 5, 0));
        assertEquals(0, shifted.get(15, 5, 0));
    }
}
