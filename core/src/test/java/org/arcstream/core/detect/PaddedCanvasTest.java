package org.arcstream.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class PaddedCanvasTest {

    /** A 92x112 image: white left half, black right half. */
    private static RgbImage halves() {
        int w = 92, h = 112;
        byte[] px = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 2; x++) {
                int p = 3 * (y * w + x);
                px[p] = px[p + 1] = px[p + 2] = (byte) 255;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void theImageSitsInTheMiddleOfAGreyCanvasOfTheGivenSize() {
        PaddedCanvas padded = PaddedCanvas.of(halves(), 320, 240);
        RgbImage canvas = padded.canvas();
        assertEquals(320, canvas.width());
        assertEquals(240, canvas.height());
        // the image takes the middle 160x120: x 80..239, y 60..179
        for (int c = 0; c < 3; c++) {
            assertEquals(PaddedCanvas.FILL, canvas.get(0, 0, c));
            assertEquals(PaddedCanvas.FILL, canvas.get(79, 120, c));
            assertEquals(PaddedCanvas.FILL, canvas.get(240, 120, c));
            assertEquals(PaddedCanvas.FILL, canvas.get(160, 59, c));
            assertEquals(PaddedCanvas.FILL, canvas.get(160, 180, c));
            assertEquals(255, canvas.get(80, 60, c));
            assertEquals(255, canvas.get(150, 179, c));
            assertEquals(0, canvas.get(170, 60, c));
            assertEquals(0, canvas.get(239, 179, c));
        }
    }

    @Test
    void boxesMapBackToImageCoordinatesUnclipped() {
        PaddedCanvas padded = PaddedCanvas.of(halves(), 320, 240);
        // the whole image region, and a box reaching 10 canvas pixels past its top-left corner
        List<FaceBox> back = padded.toImage(List.of(
                new FaceBox(80, 60, 240, 180, 0.9f),
                new FaceBox(70, 50, 160, 120, 0.8f)));
        assertEquals(2, back.size());
        FaceBox all = back.get(0);
        assertEquals(0, all.x1(), 1e-4);
        assertEquals(0, all.y1(), 1e-4);
        assertEquals(92, all.x2(), 1e-4);
        assertEquals(112, all.y2(), 1e-4);
        assertEquals(0.9f, all.score());
        FaceBox past = back.get(1);
        assertEquals(-10 * 92 / 160.0, past.x1(), 1e-4);
        assertEquals(-10 * 112 / 120.0, past.y1(), 1e-4);
        assertEquals(46, past.x2(), 1e-4);
        assertEquals(56, past.y2(), 1e-4);
    }

    @Test
    void boxesCentredInTheMarginAreDropped() {
        PaddedCanvas padded = PaddedCanvas.of(halves(), 320, 240);
        List<FaceBox> back = padded.toImage(List.of(
                new FaceBox(0, 0, 60, 50, 0.99f),
                new FaceBox(250, 100, 300, 150, 0.98f),
                new FaceBox(60, 100, 110, 150, 0.97f)));
        // only the last one has its centre (x 85) inside the image (x 80..240 on the canvas)
        assertEquals(1, back.size());
        assertEquals(0.97f, back.get(0).score());
    }
}
