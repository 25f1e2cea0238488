package org.arcstream.core.match;

/**
 * The outcome of scoring one embedding against the gallery: the best identity when its score
 * reaches the threshold (else none: unknown), the best and runner-up scores, and the threshold used.
 * The runner-up is the best score of any other identity; -1 when there is none.
 */
public record MatchResult(Identity identity, Identity bestCandidate, float score, float runnerUpScore, float threshold) {

    public boolean known() {
        return identity != null;
    }
}
