package org.arcstream.core.landmark;

import org.arcstream.core.align.FivePoints;
import org.arcstream.core.align.Point2;

/** The 68 iBUG facial landmarks of one face in image pixel coordinates, stored x0, y0, x1, y1, ... */
public record FacialLandmarks(float[] xy) {

    public FacialLandmarks {
        if (xy.length != 136) {
            throw new IllegalArgumentException("expected 68 points (136 values), got " + xy.length);
        }
    }

    public Point2 point(int index) {
        return new Point2(xy[2 * index], xy[2 * index + 1]);
    }

    /** Eye centres from the eyelid points, nose tip, and mouth corners averaged over outer and inner lip. */
    public FivePoints toFivePoints() {
        return new FivePoints(
                mean(37, 38, 40, 41),
                mean(43, 44, 46, 47),
                point(30),
                mean(48, 60),
                mean(54, 64));
    }

    private Point2 mean(int... indices) {
        double x = 0, y = 0;
        for (int i : indices) {
            x += xy[2 * i];
            y += xy[2 * i + 1];
        }
        return new Point2(x / indices.length, y / indices.length);
    }
}
