package org.arcstream.core.align;

import java.util.List;

/** The five alignment landmarks of a face: left eye, right eye, nose tip, left and right mouth corner. */
public record FivePoints(Point2 leftEye, Point2 rightEye, Point2 nose, Point2 mouthLeft, Point2 mouthRight) {

    public List<Point2> asList() {
        return List.of(leftEye, rightEye, nose, mouthLeft, mouthRight);
    }

    /** The points as x0, y0, x1, y1, ... for serialization. */
    public float[] toArray() {
        float[] out = new float[10];
        List<Point2> points = asList();
        for (int i = 0; i < 5; i++) {
            out[2 * i] = (float) points.get(i).x();
            out[2 * i + 1] = (float) points.get(i).y();
        }
        return out;
    }
}
