package org.arcstream.trainer.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.topics.RocCurve;
import org.arcstream.trainer.plot.RocChart;

/**
 * The ROC curves a model event carries: per evaluation set, the true-accept rate of the new model and of
 * the model it was trained from (the same pairs) at {@link RocCurve#MAX_POINTS} false-accept rates spaced
 * evenly on a log axis, from the smallest rate the set can show (one different pair in all of them) to 1.
 * A few hundred bytes per set, where the full curve has a corner per distinct score.
 */
public final class CompactRoc {

    /** Below this no false-accept rate is plotted, however many different pairs a set has. */
    static final double LOWEST_FAR = 1e-6;

    private CompactRoc() {}

    /** Curves of both gate sets of a decision; empty when the gate had no candidate to evaluate. */
    public static Map<String, RocCurve> of(GateDecision decision) {
        Map<String, RocCurve> out = new LinkedHashMap<>();
        ModelEvaluation candidate = decision.candidate(), current = decision.current();
        if (candidate == null) {
            return out;
        }
        out.put("heldout_identities", curve(candidate.heldOutIdentityPairs(), current == null ? null : current.heldOutIdentityPairs()));
        if (!candidate.heldOutImagePairs().isEmpty()) {
            out.put("heldout_images", curve(candidate.heldOutImagePairs(), current == null ? null : current.heldOutImagePairs()));
        }
        return out;
    }

    /**
     * The curve of {@code pairs}, and of {@code parentPairs} (null: none) on the same grid; each point is the
     * highest true-accept rate reached without exceeding the false-accept rate.
     */
    public static RocCurve curve(List<ScoredPair> pairs, List<ScoredPair> parentPairs) {
        long negatives = pairs.stream().filter(p -> !p.same()).count();
        List<Double> grid = grid(negatives == 0 ? 1 : negatives);
        return new RocCurve(grid, sample(RocChart.curve(pairs), grid),
                parentPairs == null || parentPairs.isEmpty() ? null : sample(RocChart.curve(parentPairs), grid));
    }

    static List<Double> grid(long negatives) {
        double lowest = Math.log10(Math.max(LOWEST_FAR, Math.min(0.5, 1.0 / negatives)));
        int n = RocCurve.MAX_POINTS;
        List<Double> grid = new ArrayList<>(n);
        for (int i = 0; i < n - 1; i++) {
            grid.add(Math.pow(10, lowest * (n - 1 - i) / (n - 1)));
        }
        grid.add(1.0);
        return grid;
    }

    private static List<Double> sample(List<RocChart.Point> corners, List<Double> grid) {
        List<Double> tar = new ArrayList<>(grid.size());
        int next = 0;
        double best = 0;
        for (double far : grid) {
            // corners rise in both rates: walk them once
            while (next < corners.size() && corners.get(next).far() <= far + 1e-12) {
                best = Math.max(best, corners.get(next).tar());
                next++;
            }
            tar.add(best);
        }
        return tar;
    }
}
