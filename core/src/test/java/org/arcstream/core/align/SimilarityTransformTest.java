package org.arcstream.core.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityTransformTest {

    private static final List<Point2> TEMPLATE = FaceAligner.ARCFACE_TEMPLATE;

    @Test
    void recoversAKnownRotationScaleAndShift() {
        double scale = 1.7, angle = Math.toRadians(23), tx = -12.5, ty = 40.25;
        SimilarityTransform truth = new SimilarityTransform(scale * Math.cos(angle), scale * Math.sin(angle), tx, ty);
        List<Point2> moved = TEMPLATE.stream().map(truth::apply).toList();

        SimilarityTransform estimated = SimilarityTransform.estimate(TEMPLATE, moved);

        assertEquals(scale, estimated.scale(), 1e-9);
        assertEquals(angle, estimated.rotationRadians(), 1e-9);
        assertEquals(tx, estimated.tx(), 1e-9);
        assertEquals(ty, estimated.ty(), 1e-9);
    }

    @Test
    void mapsHandComputedPoints() {
        // a 90 degree turn with scale 2: (1,0) -> (0,2), (0,1) -> (-2,0), then shifted by (3,4)
        List<Point2> from = List.of(new Point2(0, 0), new Point2(1, 0), new Point2(0, 1));
        List<Point2> to = List.of(new Point2(3, 4), new Point2(3, 6), new Point2(1, 4));

        SimilarityTransform t = SimilarityTransform.estimate(from, to);

        assertEquals(0, t.a(), 1e-12);
        assertEquals(2, t.b(), 1e-12);
        Point2 p = t.apply(new Point2(2, 1));
        assertEquals(1, p.x(), 1e-12);
        assertEquals(8, p.y(), 1e-12);
    }

    @Test
    void isTheLeastSquaresOptimumForNoisyPoints() {
        Random random = new Random(7);
        List<Point2> noisy = new ArrayList<>();
        for (Point2 p : TEMPLATE) {
            noisy.add(new Point2(p.x() * 2.1 + 30 + random.nextGaussian() * 2, p.y() * 2.1 + 10 + random.nextGaussian() * 2));
        }
        SimilarityTransform best = SimilarityTransform.estimate(noisy, TEMPLATE);
        double bestError = squaredError(best, noisy, TEMPLATE);
        double step = 1e-4;
        for (int k = 0; k < 4; k++) {
            for (double sign : new double[] {-1, 1}) {
                double[] p = {best.a(), best.b(), best.tx(), best.ty()};
                p[k] += sign * step;
                SimilarityTransform nudged = new SimilarityTransform(p[0], p[1], p[2], p[3]);
                assertTrue(squaredError(nudged, noisy, TEMPLATE) > bestError, "nudging parameter " + k + " lowered the error");
            }
        }
    }

    @Test
    void neverMirrorsAFace() {
        // a mirrored point set: the best similarity cannot flip it, so the fit is poor but the scale stays positive
        List<Point2> mirrored = TEMPLATE.stream().map(p -> new Point2(112 - p.x(), p.y())).toList();
        SimilarityTransform t = SimilarityTransform.estimate(TEMPLATE, mirrored);
        assertTrue(t.scale() > 0);
        assertTrue(squaredError(t, TEMPLATE, mirrored) > 100);
    }

    @Test
    void inverseUndoesTheTransform() {
        SimilarityTransform t = new SimilarityTransform(0.8, -0.3, 5, -7);
        Point2 p = new Point2(13.5, -2.25);
        Point2 back = t.inverse().apply(t.apply(p));
        assertEquals(p.x(), back.x(), 1e-12);
        assertEquals(p.y(), back.y(), 1e-12);
    }

    @Test
    void rejectsDegenerateInput() {
        Point2 p = new Point2(1, 1);
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(List.of(p, p), List.of(p, new Point2(2, 2))));
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(List.of(p), List.of(p)));
    }

    private static double squaredError(SimilarityTransform t, List<Point2> from, List<Point2> to) {
        double sum = 0;
        for (int i = 0; i < from.size(); i++) {
            Point2 q = t.apply(from.get(i));
            sum += Math.pow(q.x() - to.get(i).x(), 2) + Math.pow(q.y() - to.get(i).y(), 2);
        }
        return sum;
    }
}
