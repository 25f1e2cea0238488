package org.arcstream.embedder.stream;

import org.arcstream.core.topics.MatchRecord;

/** Hooks the stream (and the model hot swap) calls as work completes, for metrics and the admin API's recent matches; must be fast and thread-safe. */
public interface PipelineListener {

    /** A frame was decoded and its faces located. */
    default void onFrame(String camera, int faces) {}

    /** One embedding inference call: how many faces it embedded and how long it took. */
    default void onBatch(int faces, long inferenceNanos) {}

    /** A match (or unknown) was emitted; {@code frameToMatchMillis} runs from the frame's capture time. */
    default void onMatch(MatchRecord match, long frameToMatchMillis) {}

    /** Kafka acknowledged a record written to the dead-letter topic (see {@link DeadLetters#countWritten}); called on the producer's thread. */
    default void onDeadLetter(String stage, String reason) {}

    /**
     * A record of {@code input} was neither used nor dead-lettered (see {@link SkippedRecords}); the
     * reason is {@code kind: detail}.
     */
    default void onSkipped(String input, String reason) {}

    /**
     * The identity's last centroid left this instance's gallery (the person was deleted): called on the global
     * store's thread just before the gallery drops it, so that what remembers the person's matches forgets them
     * before a delete call sees the person gone.
     */
    default void onIdentityRemoved(String identityId) {}

    PipelineListener NONE = new PipelineListener() {};
}
