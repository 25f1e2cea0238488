package org.arcstream.core.match;

/**
 * The best identity and the runner-up score (the best score of any other identity) over scored
 * centroids, kept in one pass: an identity's score is its closest centroid, so no per-identity table
 * is needed. On ties the first centroid seen wins; NaN scores never win.
 */
final class Ranking {

    private Identity best;
    private float bestScore = Float.NEGATIVE_INFINITY;
    private float runnerUp = -1;

    void offer(Identity owner, float score) {
        if (owner == best) {
            if (score > bestScore) {
                bestScore = score;
            }
        } else if (score > bestScore) {
            if (best != null) {
                // the previous best is now the closest other identity, unless a later centroid of another beats it
                runnerUp = Math.max(runnerUp, bestScore);
            }
            best = owner;
            bestScore = score;
        } else if (score > runnerUp) {
            runnerUp = score;
        }
    }

    MatchResult result(float threshold) {
        if (best == null) {
            // no centroid, or every score is NaN: an embedding with a NaN value has no nearest identity
            return new MatchResult(null, null, -1, -1, threshold);
        }
        return new MatchResult(bestScore >= threshold ? best : null, best, bestScore, runnerUp, threshold);
    }
}
