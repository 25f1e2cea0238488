package org.arcstream.embedder.stream;

import java.time.Duration;

/**
 * Which recognitions the embedder keeps as training samples for the trainer (keys {@code embedder.learning.*};
 * docs/topics.md, "recognitions"). A match is kept when it is confident: its score is at least {@code minScore}
 * and at least {@code minMargin} above the runner-up, so a face that two people could explain is never labelled
 * with either. At most {@code perPersonCamera} samples per person and camera are kept (the newest: each replaces
 * the oldest under a key that rotates over that many slots), and a person seen on one camera gets a new sample at
 * most every {@code minInterval} of capture time, so that a person standing in front of a camera does not fill
 * the slots with one moment.
 *
 * <p>Off by default: the samples are faces filmed in production, biometric data beyond what the person enrolled
 * with, and keeping them is a decision the operator makes (and documents) for the site, not one the software takes.
 *
 * @param enabled whether confident recognitions are written to the recognitions topic at all
 * @param minScore the lowest cosine score kept; above the match threshold, so only clear matches
 * @param minMargin the smallest lead of the score over the runner-up's
 * @param perPersonCamera most samples kept per person and camera (1..255)
 * @param minInterval least capture time between two samples of one person on one camera
 */
public record LearningSettings(boolean enabled, float minScore, float minMargin, int perPersonCamera, Duration minInterval) {

    // compile-time constants: the service's embedder.learning.* keys name them in annotations
    public static final String MIN_SCORE = "0.6";
    public static final String MIN_MARGIN = "0.15";
    public static final int PER_PERSON_CAMERA = 5;
    public static final int MIN_INTERVAL_SECONDS = 60;
    public static final int MAX_PER_PERSON_CAMERA = 255;

    public LearningSettings {
        if (!(minScore >= -1f && minScore <= 1f)) {
            throw new IllegalArgumentException("embedder.learning.min-score must be a cosine similarity in [-1, 1], got " + minScore);
        }
        if (!(minMargin >= 0f && minMargin <= 2f)) {
            throw new IllegalArgumentException("embedder.learning.min-margin must be in [0, 2], got " + minMargin);
        }
        if (perPersonCamera < 1 || perPersonCamera > MAX_PER_PERSON_CAMERA) {
            throw new IllegalArgumentException("embedder.learning.per-person-camera must be 1.." + MAX_PER_PERSON_CAMERA + ", got "
                    + perPersonCamera);
        }
        if (minInterval == null || minInterval.isNegative()) {
            throw new IllegalArgumentException("embedder.learning.min-interval must not be negative, got " + minInterval);
        }
    }

    /** Off, with the service's default thresholds. */
    public static LearningSettings off() {
        return new LearningSettings(false, Float.parseFloat(MIN_SCORE), Float.parseFloat(MIN_MARGIN), PER_PERSON_CAMERA,
                Duration.ofSeconds(MIN_INTERVAL_SECONDS));
    }

    /** On with these settings' thresholds. */
    public LearningSettings on() {
        return new LearningSettings(true, minScore, minMargin, perPersonCamera, minInterval);
    }

    public LearningSettings withMinInterval(Duration value) {
        return new LearningSettings(enabled, minScore, minMargin, perPersonCamera, value);
    }

    /** Whether a match with this score and runner-up score is confident enough to learn from. */
    public boolean confident(float score, float runnerUpScore) {
        return score >= minScore && score - runnerUpScore >= minMargin;
    }
}
