package org.arcstream.trainer.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.eval.Verification;
import org.arcstream.core.topics.RocCurve;
import org.junit.jupiter.api.Test;

class CompactRocTest {

    @Test
    void theCurveHasAtMostTheMaximumPointsOnALogGridAndAgreesWithTheGateFigure() {
        List<ScoredPair> pairs = pairs(new Random(7), 2_000, 20_000, 1.0);
        RocCurve curve = CompactRoc.curve(pairs, null);
        assertEquals(RocCurve.MAX_POINTS, curve.far().size());
        assertEquals(1.0 / 20_000, curve.far().get(0), 1e-12, "from the smallest rate the set can show");
        assertEquals(1.0, curve.far().get(curve.far().size() - 1));
        double ratio = curve.far().get(1) / curve.far().get(0);
        for (int i = 1; i < curve.far().size(); i++) {
            assertEquals(ratio, curve.far().get(i) / curve.far().get(i - 1), 1e-9, "evenly spaced on a log axis");
            assertTrue(curve.tar().get(i) >= curve.tar().get(i - 1), "never falls");
        }
        assertEquals(1.0, curve.tar().get(curve.tar().size() - 1));
        assertNull(curve.parentTar());

        // at a grid point near 1 %, the curve's rate is the gate's TAR at that FAR (within the grid's step)
        int near = 0;
        for (int i = 0; i < curve.far().size(); i++) {
            if (Math.abs(Math.log(curve.far().get(i) / 0.01)) < Math.abs(Math.log(curve.far().get(near) / 0.01))) {
                near = i;
            }
        }
        double gate = Verification.of(pairs).tarAtFar(curve.far().get(near));
        assertEquals(gate, curve.tar().get(near), 0.01);
    }

    @Test
    void theParentIsSampledOnTheSameGridAndABetterModelLiesAboveIt() {
        Random random = new Random(3);
        List<ScoredPair> better = pairs(random, 500, 5_000, 2.0), worse = pairs(random, 500, 5_000, 0.5);
        RocCurve curve = CompactRoc.curve(better, worse);
        assertEquals(curve.far().size(), curve.parentTar().size());
        double above = 0;
        for (int i = 0; i < curve.far().size(); i++) {
            above += curve.tar().get(i) - curve.parentTar().get(i);
        }
        assertTrue(above > 0, "the better model's curve lies above the parent's");
    }

    @Test
    void aSetWithOneDifferentPairStillGivesARisingGrid() {
        List<ScoredPair> pairs = List.of(new ScoredPair(0.9, true), new ScoredPair(0.2, false));
        RocCurve curve = CompactRoc.curve(pairs, null);
        assertTrue(curve.far().get(0) > 0 && curve.far().get(0) < 1);
        assertEquals(1.0, curve.tar().get(0), "the same pair outscores the different one");
    }

    /** Same pairs score around {@code separation}, different ones around 0, both with unit noise. */
    private static List<ScoredPair> pairs(Random random, int same, int different, double separation) {
        List<ScoredPair> pairs = new ArrayList<>();
        for (int i = 0; i < same; i++) {
            pairs.add(new ScoredPair(separation + random.nextGaussian(), true));
        }
        for (int i = 0; i < different; i++) {
            pairs.add(new ScoredPair(random.nextGaussian(), false));
        }
        return pairs;
    }
}
