package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbedderSettingsTest {

    @Test
    void defaultsAreExactlyOnceWithBatchesOfEightOrFiftyMilliseconds() {
        EmbedderSettings s = EmbedderSettings.defaults("k1:9092", null, 0.38f);
        assertEquals("exactly_once_v2", s.processingGuarantee());
        assertEquals(8, s.batchMaxFaces());
        assertEquals(Duration.ofMillis(50), s.batchMaxWait());
        assertEquals(Duration.ofMillis(EmbedderSettings.IDLE_COMMIT_INTERVAL_MS), s.idleCommitInterval());
        assertTrue(s.knownCameras().isEmpty(), "every camera accepted");
        assertEquals(TopicNames.defaults(), s.topics());
    }

    @Test
    void badValuesAreRefusedByName() {
        EmbedderSettings s = EmbedderSettings.defaults("k1:9092", null, 0.38f);
        var e = assertThrows(IllegalArgumentException.class, () -> s.withProcessingGuarantee("exactly_once"));
        assertTrue(e.getMessage().contains("exactly_once_v2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.withBatch(0, Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.withIdleCommitInterval(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("idle-commit-interval"), e.getMessage());
        assertEquals(Duration.ZERO, s.withIdleCommitInterval(Duration.ZERO).idleCommitInterval(), "0 commits at every idle");
        e = assertThrows(IllegalArgumentException.class, () -> s.withBootstrapServers(" "));
        assertTrue(e.getMessage().contains("bootstrap"), e.getMessage());
    }
}
