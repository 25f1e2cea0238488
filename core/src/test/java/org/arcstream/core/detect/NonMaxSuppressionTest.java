package org.arcstream.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {

    @Test
    void keepsTheBestOfOverlappingBoxesAndAllSeparateOnes() {
        FaceBox best = new FaceBox(10, 10, 50, 50, 0.99f);
        FaceBox overlapping = new FaceBox(12, 12, 52, 52, 0.90f);
        FaceBox separate = new FaceBox(100, 100, 140, 140, 0.80f);
        List<FaceBox> kept = NonMaxSuppression.apply(List.of(overlapping, separate, best), 0.4f);
        assertEquals(List.of(best, separate), kept);
    }

    @Test
    void iouAtTheThresholdIsKept() {
        // two 10x10 boxes sharing a 10x5 strip: IoU = 50 / 150 = 1/3
        FaceBox a = new FaceBox(0, 0, 10, 10, 0.9f);
        FaceBox b = new FaceBox(0, 5, 10, 15, 0.8f);
        assertEquals(1f / 3, a.iou(b), 1e-6);
        assertEquals(2, NonMaxSuppression.apply(List.of(a, b), 0.34f).size());
        assertEquals(1, NonMaxSuppression.apply(List.of(a, b), 0.33f).size());
    }

    @Test
    void suppressedBoxesDoNotSuppressOthers() {
        // b overlaps a and c, a and c do not overlap: a wins, b goes, c stays
        FaceBox a = new FaceBox(0, 0, 10, 10, 0.9f);
        FaceBox b = new FaceBox(4, 0, 14, 10, 0.8f);
        FaceBox c = new FaceBox(9, 0, 19, 10, 0.7f);
        assertEquals(List.of(a, c), NonMaxSuppression.apply(List.of(c, b, a), 0.4f));
    }

    @Test
    void resultIsSortedByScoreAndEmptyStaysEmpty() {
        FaceBox low = new FaceBox(0, 0, 5, 5, 0.7f);
        FaceBox high = new FaceBox(50, 50, 60, 60, 0.95f);
        assertEquals(List.of(high, low), NonMaxSuppression.apply(List.of(low, high), 0.4f));
        assertEquals(List.of(), NonMaxSuppression.apply(List.of(), 0.4f));
    }
}
