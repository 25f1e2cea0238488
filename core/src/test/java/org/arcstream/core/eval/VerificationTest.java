package org.arcstream.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationTest {

    private static Verification of(double[] same, double[] different) {
        List<ScoredPair> pairs = new ArrayList<>();
        for (double s : same) {
            pairs.add(new ScoredPair(s, true));
        }
        for (double s : different) {
            pairs.add(new ScoredPair(s, false));
        }
        return Verification.of(pairs);
    }

    @Test
    void aucOfPerfectReversedAndTiedScores() {
        assertEquals(1.0, of(new double[] {0.8, 0.9}, new double[] {0.1, 0.2, 0.3}).auc());
        assertEquals(0.0, of(new double[] {0.1}, new double[] {0.5, 0.6}).auc());
        assertEquals(0.5, of(new double[] {0.4, 0.4}, new double[] {0.4, 0.4, 0.4}).auc());
    }

    @Test
    void aucOfAMixedCaseByHand() {
        // positives 0.9, 0.5, 0.3; negatives 0.6, 0.5, 0.2
        // 0.9 beats 3; 0.5 beats 0.2 and ties 0.5 -> 1.5; 0.3 beats 0.2 -> 1; total 5.5 of 9
        assertEquals(5.5 / 9, of(new double[] {0.9, 0.5, 0.3}, new double[] {0.6, 0.5, 0.2}).auc(), 1e-12);
    }

    @Test
    void tarAtFarRejectsTiesWithTheCut() {
        // 10 negatives, FAR 0.1 allows one false accept: the cut is the second-highest negative (0.8)
        double[] negatives = {0.95, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0};
        double[] positives = {0.99, 0.9, 0.85, 0.8, 0.75};
        Verification v = of(positives, negatives);
        assertEquals(3.0 / 5, v.tarAtFar(0.1), 1e-12);
        // FAR 0.05 allows none: only scores above 0.95 pass
        assertEquals(1.0 / 5, v.tarAtFar(0.05), 1e-12);
        assertEquals(1.0, v.tarAtFar(1.0), 1e-12);
    }

    @Test
    void bestThresholdSitsBetweenTheScoresItSeparates() {
        // positives 0.9, 0.7, 0.4; negatives 0.5, 0.3, 0.1: best accuracy 5/6 between 0.5 and 0.7
        // (accepting 0.4 as well also gives 5/6 but is found later; the first best is kept)
        Verification v = of(new double[] {0.9, 0.7, 0.4}, new double[] {0.5, 0.3, 0.1});
        assertEquals(5.0 / 6, v.bestAccuracy(), 1e-12);
        assertEquals(0.35, v.bestThreshold(), 1e-12);
        assertEquals(4.0 / 6, v.accuracyAt(0.8), 1e-12);
        assertEquals(5.0 / 6, v.accuracyAt(0.6), 1e-12);
        assertEquals(3.0 / 6, v.accuracyAt(0.0), 1e-12);
        assertEquals(6, v.pairs());
    }

    @Test
    void needsBothKindsOfPairs() {
        assertThrows(IllegalArgumentException.class, () -> of(new double[] {0.5}, new double[0]));
    }
}
