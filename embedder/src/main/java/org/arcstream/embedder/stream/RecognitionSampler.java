package org.arcstream.embedder.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.core.topics.RecognitionKey;

/**
 * Picks the matches that become training samples ({@link LearningSettings}) and the key each one replaces.
 * One per frames task: a camera's frames are one partition (the frames key is the camera), so one sampler sees
 * all of a camera's matches. Its memory (the next slot and last sample per person and camera) is not kept over a
 * restart: the slots then start again at 0, which still keeps at most {@code perPersonCamera} keys per person and
 * camera, and a restart may take one sample sooner than the interval.
 */
final class RecognitionSampler {

    private final LearningSettings settings;
    private final Map<String, Seen> seen = new HashMap<>();

    RecognitionSampler(LearningSettings settings) {
        this.settings = settings;
    }

    /** The key this match is kept under, or empty when it is not kept (not confident, or too soon after the last one). */
    Optional<RecognitionKey> sample(MatchRecord match) {
        if (!settings.enabled() || !match.known() || !settings.confident(match.score(), match.runnerUpScore())) {
            return Optional.empty();
        }
        // NUL cannot be in an identity id, so the pair is unambiguous
        String person = match.identity() + '\0' + match.camera();
        Seen last = seen.get(person);
        if (last != null && match.capturedAt() - last.capturedAt() < settings.minInterval().toMillis()
                && match.capturedAt() >= last.capturedAt()) {
            return Optional.empty();
        }
        int slot = last == null ? 0 : (last.slot() + 1) % settings.perPersonCamera();
        seen.put(person, new Seen(slot, match.capturedAt()));
        return Optional.of(new RecognitionKey(match.identity(), match.camera(), slot));
    }

    private record Seen(int slot, long capturedAt) {}
}
