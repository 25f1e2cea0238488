package org.arcstream.core.landmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.arcstream.core.align.FivePoints;
import org.arcstream.core.detect.FaceBox;
import org.junit.jupiter.api.Test;

class FacialLandmarksTest {

    @Test
    void fivePointsAverageTheIbugIndices() {
        float[] xy = new float[136];
        for (int i = 0; i < 68; i++) {
            xy[2 * i] = i;
            xy[2 * i + 1] = 1000 + i;
        }
        FivePoints five = new FacialLandmarks(xy).toFivePoints();
        assertEquals((37 + 38 + 40 + 41) / 4.0, five.leftEye().x(), 1e-9);
        assertEquals((43 + 44 + 46 + 47) / 4.0, five.rightEye().x(), 1e-9);
        assertEquals(30, five.nose().x(), 1e-9);
        assertEquals(1030, five.nose().y(), 1e-9);
        assertEquals((48 + 60) / 2.0, five.mouthLeft().x(), 1e-9);
        assertEquals((54 + 64) / 2.0 + 1000, five.mouthRight().y(), 1e-9);
    }

    @Test
    void cropIsASquareOfTheBoxHeightAroundItsCentre() {
        LandmarkCrop crop = LandmarkCrop.around(new FaceBox(100, 50, 160, 130, 0.9f));
        assertEquals(80, crop.side(), 1e-6);
        assertEquals(90, crop.left(), 1e-6);
        assertEquals(50, crop.top(), 1e-6);
        float[] normalized = new float[136];
        normalized[0] = 0.5f;
        normalized[1] = 0.25f;
        FacialLandmarks points = crop.toImage(normalized);
        assertEquals(130, points.point(0).x(), 1e-4);
        assertEquals(70, points.point(0).y(), 1e-4);
    }
}
