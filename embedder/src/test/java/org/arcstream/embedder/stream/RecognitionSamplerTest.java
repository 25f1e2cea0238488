package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.core.topics.RecognitionKey;
import org.junit.jupiter.api.Test;

class RecognitionSamplerTest {

    private static final LearningSettings ON = new LearningSettings(true, 0.6f, 0.15f, 3, Duration.ofSeconds(10));

    private static MatchRecord match(String identity, String camera, float score, float runnerUp, long capturedAt) {
        return new MatchRecord(MatchRecord.VERSION, camera, 1, 0, 0, capturedAt, 0, new float[4], identity, identity, score, runnerUp,
                0.38f, "model");
    }

    private static Optional<String> key(RecognitionSampler sampler, MatchRecord match) {
        return sampler.sample(match).map(RecognitionKey::toString);
    }

    @Test
    void keepsAConfidentMatch() {
        assertEquals(Optional.of("ann/cam-1/0"), key(new RecognitionSampler(ON), match("ann", "cam-1", 0.7f, 0.3f, 0)));
    }

    @Test
    void leavesOutWeakAmbiguousAndUnknownMatches() {
        RecognitionSampler sampler = new RecognitionSampler(ON);
        assertTrue(sampler.sample(match("ann", "cam-1", 0.59f, 0.1f, 0)).isEmpty(), "below min-score");
        assertTrue(sampler.sample(match("ann", "cam-1", 0.8f, 0.66f, 0)).isEmpty(), "runner-up too close");
        assertTrue(sampler.sample(match(MatchRecord.UNKNOWN, "cam-1", 0.9f, 0.1f, 0)).isEmpty(), "unknown");
        assertEquals(Optional.of("ann/cam-1/0"), key(sampler, match("ann", "cam-1", 0.8f, 0.65f, 0)), "exactly the margin");
    }

    @Test
    void isOffByDefault() {
        assertTrue(new RecognitionSampler(LearningSettings.off()).sample(match("ann", "cam-1", 0.99f, -1f, 0)).isEmpty());
    }

    @Test
    void rotatesOverTheSlotsOfEachPersonAndCameraAtMostOncePerInterval() {
        RecognitionSampler sampler = new RecognitionSampler(ON);
        assertEquals(Optional.of("ann/cam-1/0"), key(sampler, match("ann", "cam-1", 0.9f, 0f, 0)));
        assertEquals(Optional.empty(), key(sampler, match("ann", "cam-1", 0.9f, 0f, 9_999)), "within the interval");
        assertEquals(Optional.of("ann/cam-2/0"), key(sampler, match("ann", "cam-2", 0.9f, 0f, 5_000)), "another camera");
        assertEquals(Optional.of("bob/cam-1/0"), key(sampler, match("bob", "cam-1", 0.9f, 0f, 5_000)), "another person");
        assertEquals(Optional.of("ann/cam-1/1"), key(sampler, match("ann", "cam-1", 0.9f, 0f, 10_000)));
        assertEquals(Optional.of("ann/cam-1/2"), key(sampler, match("ann", "cam-1", 0.9f, 0f, 20_000)));
        assertEquals(Optional.of("ann/cam-1/0"), key(sampler, match("ann", "cam-1", 0.9f, 0f, 30_000)), "the oldest slot again");
    }
}
