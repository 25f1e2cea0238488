package org.arcstream.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.arcstream.core.embed.Embeddings;
import org.junit.jupiter.api.Test;

class GalleryEvaluationTest {

    private static LabeledEmbedding sample(String label, double angleDegrees) {
        double a = Math.toRadians(angleDegrees);
        return new LabeledEmbedding(label, label + angleDegrees, Embeddings.normalize(new float[] {(float) Math.cos(a), (float) Math.sin(a)}));
    }

    @Test
    void leaveOneOutNearestNeighbourCountsAStrayAsAMiss() {
        // A around 0 degrees, B around 90; a4 at 60 degrees sits nearer B's 80 than A's 10
        List<LabeledEmbedding> gallery = List.of(
                sample("A", 0), sample("A", 5), sample("A", 10), sample("A", 60),
                sample("B", 80), sample("B", 85), sample("B", 90));
        GalleryEvaluation.Result r = GalleryEvaluation.evaluate(gallery);
        assertEquals(6.0 / 7, r.top1LeaveOneOut(), 1e-9);
        assertEquals(2, r.identities());
        assertEquals(7 * 6 / 2, r.verification().pairs());
    }

    @Test
    void theQueryIsLeftOutOfItsOwnCentroid() {
        // A = {0, 50}, B = {60, 70}: with itself in A's centroid (25 deg) the 50 deg query would look
        // right (25 away vs 15 from B's 65), but A without it is at 0, 50 away: nearest is B, a miss
        List<LabeledEmbedding> gallery = List.of(sample("A", 0), sample("A", 50), sample("B", 60), sample("B", 70));
        GalleryEvaluation.Result r = GalleryEvaluation.evaluate(gallery);
        // misses: A50 (B nearer), and B60 whose own centroid is 70 (10 away) -> right; A0 right; B70 right
        assertEquals(3.0 / 4, r.top1Centroid(), 1e-9);
    }

    @Test
    void anIdentityWithOneSampleCannotBeFoundByCentroid() {
        List<LabeledEmbedding> gallery = List.of(sample("A", 0), sample("A", 5), sample("C", 100));
        assertEquals(2.0 / 3, GalleryEvaluation.evaluate(gallery).top1Centroid(), 1e-9);
    }
}
