package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedderSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreExactlyOnceWithBatchesOfEightOrFiftyMilliseconds() {
        EmbedderSettings s = EmbedderSettings.load(null);
        assertEquals("exactly_once_v2", s.processingGuarantee());
        assertEquals(8, s.batchMaxFaces());
        assertEquals(Duration.ofMillis(50), s.batchMaxWait());
        assertTrue(s.knownCameras().isEmpty(), "every camera accepted");
        assertEquals(TopicNames.defaults(), s.topics());
        assertEquals(0.38f, s.matchThreshold());
    }

    @Test
    void oneFileHoldsStreamAndRecognitionKeys() throws Exception {
        Path file = dir.resolve("embedder.properties");
        Files.writeString(file, String.join("\n",
                "kafka.bootstrap-servers=k1:9092,k2:9092",
                "stream.processing-guarantee=AT_LEAST_ONCE",
                "batch.max-faces=32",
                "batch.max-wait-ms=20",
                "cameras.known=gate-1, gate-2 ,",
                "topics.frames=camera-frames",
                "match.sub-centroids=3",
                "match.threshold=0.5",
                "embedding.batch-size=32"));
        EmbedderSettings s = EmbedderSettings.load(file);
        assertEquals("k1:9092,k2:9092", s.bootstrapServers());
        assertEquals("at_least_once", s.processingGuarantee());
        assertEquals(32, s.batchMaxFaces());
        assertEquals(Duration.ofMillis(20), s.batchMaxWait());
        assertEquals(Set.of("gate-1", "gate-2"), s.knownCameras());
        assertEquals("camera-frames", s.topics().frames());
        assertEquals(3, s.subCentroids());
        assertEquals(0.5f, s.matchThreshold());
        assertEquals(32, s.pipeline().embedBatch());
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedByName() throws Exception {
        Path unknown = dir.resolve("unknown.properties");
        Files.writeString(unknown, "batch.max-face=16\n");
        var e = assertThrows(IllegalArgumentException.class, () -> EmbedderSettings.load(unknown));
        assertTrue(e.getMessage().contains("batch.max-face"), e.getMessage());
        Path guarantee = dir.resolve("guarantee.properties");
        Files.writeString(guarantee, "stream.processing-guarantee=exactly_once\n");
        e = assertThrows(IllegalArgumentException.class, () -> EmbedderSettings.load(guarantee));
        assertTrue(e.getMessage().contains("exactly_once_v2"), e.getMessage());
        Path batch = dir.resolve("batch.properties");
        Files.writeString(batch, "batch.max-faces=eight\n");
        e = assertThrows(IllegalArgumentException.class, () -> EmbedderSettings.load(batch));
        assertTrue(e.getMessage().contains("ARCSTREAM_BATCH_MAX_FACES"), e.getMessage());
    }
}
