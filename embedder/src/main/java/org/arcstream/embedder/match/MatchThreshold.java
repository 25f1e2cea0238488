package org.arcstream.embedder.match;

/** The cosine threshold the matcher applies, changeable while the stream runs. */
public final class MatchThreshold {

    private volatile float value;

    public MatchThreshold(float initial) {
        set(initial);
    }

    public float get() {
        return value;
    }

    /** Sets the threshold; cosine similarities lie in [-1, 1], so anything else is refused. */
    public void set(float threshold) {
        if (!(threshold >= -1f && threshold <= 1f)) {
            throw new IllegalArgumentException("threshold must be a cosine similarity in [-1, 1], got " + threshold);
        }
        this.value = threshold;
    }
}
