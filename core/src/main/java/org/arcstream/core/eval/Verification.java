package org.arcstream.core.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Verification figures of scored pairs under the rule "same person if score >= threshold":
 * ROC AUC, true-accept rate at a false-accept rate, the best threshold and accuracies.
 */
public final class Verification {

    private final double[] positives;
    private final double[] negatives;

    private Verification(double[] positives, double[] negatives) {
        this.positives = positives;
        this.negatives = negatives;
        Arrays.sort(this.positives);
        Arrays.sort(this.negatives);
    }

    public static Verification of(List<ScoredPair> pairs) {
        double[] pos = pairs.stream().filter(ScoredPair::same).mapToDouble(ScoredPair::score).toArray();
        double[] neg = pairs.stream().filter(p -> !p.same()).mapToDouble(ScoredPair::score).toArray();
        if (pos.length == 0 || neg.length == 0) {
            throw new IllegalArgumentException(
                    "verification needs same and different pairs, got " + pos.length + " same and " + neg.length + " different");
        }
        return new Verification(pos, neg);
    }

    public int pairs() {
        return positives.length + negatives.length;
    }

    public int positives() {
        return positives.length;
    }

    public int negatives() {
        return negatives.length;
    }

    /**
     * Area under the ROC curve: the probability that a random same pair outscores a random
     * different pair, ties counting one half (the Mann-Whitney statistic).
     */
    public double auc() {
        double wins = 0;
        for (double p : positives) {
            int below = countBelow(negatives, p);
            int tied = negatives.length - below - countAbove(negatives, p);
            wins += below + 0.5 * tied;
        }
        return wins / ((double) positives.length * negatives.length);
    }

    /**
     * True-accept rate at the lowest threshold whose false-accept rate does not exceed {@code far}:
     * at most floor(far * negatives) different pairs may score at or above the threshold.
     */
    public double tarAtFar(double far) {
        int allowed = (int) Math.floor(far * negatives.length + 1e-9);
        if (allowed >= negatives.length) {
            return 1.0;
        }
        // the threshold sits just above the (allowed+1)-th highest negative, so ties with it are rejected
        double cut = negatives[negatives.length - 1 - allowed];
        return (double) countAbove(positives, cut) / positives.length;
    }

    /** The fraction of pairs classified right at {@code threshold}. */
    public double accuracyAt(double threshold) {
        int truePositives = positives.length - countBelow(positives, threshold);
        int trueNegatives = countBelow(negatives, threshold);
        return (double) (truePositives + trueNegatives) / pairs();
    }

    /** The threshold of highest accuracy, placed midway between the two scores it separates. */
    public double bestThreshold() {
        return best()[0];
    }

    public double bestAccuracy() {
        return best()[1];
    }

    private double[] best() {
        double[] all = new double[pairs()];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        Arrays.sort(all);
        // candidate thresholds: below every score, between each two distinct scores, above every score
        double bestThreshold = all[0] - 1e-6, bestAccuracy = accuracyAt(bestThreshold);
        for (int i = 1; i < all.length; i++) {
            if (all[i] != all[i - 1]) {
                double t = (all[i] + all[i - 1]) / 2;
                double accuracy = accuracyAt(t);
                if (accuracy > bestAccuracy) {
                    bestAccuracy = accuracy;
                    bestThreshold = t;
                }
            }
        }
        double above = all[all.length - 1] + 1e-6;
        if (accuracyAt(above) > bestAccuracy) {
            return new double[] {above, accuracyAt(above)};
        }
        return new double[] {bestThreshold, bestAccuracy};
    }

    /** Number of values strictly below {@code t} in an ascending array. */
    private static int countBelow(double[] sorted, double t) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of values strictly above {@code t} in an ascending array. */
    private static int countAbove(double[] sorted, double t) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }
}
