package org.arcstream.core.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy score-sorted non-maximum suppression by intersection over union. */
public final class NonMaxSuppression {

    private NonMaxSuppression() {}

    /**
     * Keeps the highest-scoring box, drops every box overlapping it by more than {@code iouThreshold},
     * and repeats; the result is sorted by descending score.
     */
    public static List<FaceBox> apply(List<FaceBox> boxes, float iouThreshold) {
        List<FaceBox> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble(FaceBox::score).reversed());
        List<FaceBox> kept = new ArrayList<>();
        boolean[] suppressed = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            if (suppressed[i]) {
                continue;
            }
            FaceBox best = sorted.get(i);
            kept.add(best);
            for (int j = i + 1; j < sorted.size(); j++) {
                if (!suppressed[j] && best.iou(sorted.get(j)) > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return kept;
    }
}
