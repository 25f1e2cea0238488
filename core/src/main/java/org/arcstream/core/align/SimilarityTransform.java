package org.arcstream.core.align;

import java.util.List;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation):
 * x' = a*x - b*y + tx, y' = b*x + a*y + ty.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    /**
     * Least-squares similarity mapping {@code from} onto {@code to} (Umeyama without reflection).
     *
     * <p>Treating points as complex numbers, the optimum of sum |z*p + t - q|^2 is
     * z = sum(conj(p') q') / sum |p'|^2 on centred points, which is the closed form of
     * Umeyama's estimate restricted to proper rotations.
     */
    public static SimilarityTransform estimate(List<Point2> from, List<Point2> to) {
        int n = from.size();
        if (n != to.size() || n < 2) {
            throw new IllegalArgumentException("need two equally long lists of at least 2 points, got " + n + " and " + to.size());
        }
        double fx = 0, fy = 0, tX = 0, tY = 0;
        for (int i = 0; i < n; i++) {
            fx += from.get(i).x();
            fy += from.get(i).y();
            tX += to.get(i).x();
            tY += to.get(i).y();
        }
        fx /= n;
        fy /= n;
        tX /= n;
        tY /= n;
        double re = 0, im = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = from.get(i).x() - fx, py = from.get(i).y() - fy;
            double qx = to.get(i).x() - tX, qy = to.get(i).y() - tY;
            re += px * qx + py * qy;
            im += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("source points all coincide");
        }
        double a = re / norm, b = im / norm;
        return new SimilarityTransform(a, b, tX - (a * fx - b * fy), tY - (b * fx + a * fy));
    }

    /** Pure scale and translation: x' = s*x + tx, y' = s*y + ty. */
    public static SimilarityTransform scaleThenShift(double scale, double tx, double ty) {
        return new SimilarityTransform(scale, 0, tx, ty);
    }

    public Point2 apply(Point2 p) {
        return new Point2(a * p.x() - b * p.y() + tx, b * p.x() + a * p.y() + ty);
    }

    public SimilarityTransform inverse() {
        double d = a * a + b * b;
        if (d == 0) {
            throw new IllegalStateException("degenerate transform has no inverse");
        }
        double ia = a / d, ib = -b / d;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    public double rotationRadians() {
        return Math.atan2(b, a);
    }
}
