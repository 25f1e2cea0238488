package org.arcstream.core.topics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.MatchResult;
import org.junit.jupiter.api.Test;

class RecordCodecsTest {

    private static FaceEmbeddingRecord sample() {
        Random random = new Random(5);
        float[] embedding = new float[512];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) random.nextGaussian();
        }
        float[] landmarks = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5f};
        return new FaceEmbeddingRecord(new FrameRef("gate-3 ü", 42, 2, 1_000_000_007L), 1_763_000_000_123L, 1,
                new FaceBox(10.25f, 20.5f, 110.75f, 140f, 0.9987f), landmarks, "c20fa0d6420a", embedding);
    }

    @Test
    void anEmbeddingRecordRoundTripsExactlyAndCompactly() {
        FaceEmbeddingRecord r = sample();
        byte[] bytes = FaceEmbeddingCodec.encode(r);
        FaceEmbeddingRecord back = FaceEmbeddingCodec.decode(bytes);
        assertEquals(r.frame(), back.frame());
        assertEquals(r.captureMillis(), back.captureMillis());
        assertEquals(r.faceIndex(), back.faceIndex());
        assertEquals(r.box(), back.box());
        assertArrayEquals(r.landmarks(), back.landmarks());
        assertEquals(r.modelVersion(), back.modelVersion());
        assertArrayEquals(r.embedding(), back.embedding());
        assertEquals(FaceEmbeddingCodec.VERSION, bytes[2]);
        assertTrue(bytes.length < 2200, "bytes: " + bytes.length);
    }

    @Test
    void damagedEmbeddingRecordsAreRefusedWithAReason() {
        byte[] bytes = FaceEmbeddingCodec.encode(sample());
        var truncated = assertThrows(RecordFormatException.class, () -> FaceEmbeddingCodec.decode(Arrays.copyOf(bytes, 100)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] future = bytes.clone();
        future[2] = 9;
        var version = assertThrows(RecordFormatException.class, () -> FaceEmbeddingCodec.decode(future));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());
        var magic = assertThrows(RecordFormatException.class, () -> FaceEmbeddingCodec.decode("{\"json\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(magic.getMessage().contains("magic"), magic.getMessage());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThrows(RecordFormatException.class, () -> FaceEmbeddingCodec.decode(longer));
    }

    @Test
    void aMatchIsReadableJsonWithTheAgreedFields() throws Exception {
        FaceEmbeddingRecord face = sample();
        MatchResult result = new MatchResult(new Identity("ann", "Ann Smith"), new Identity("ann", "Ann Smith"), 0.71f, 0.22f, 0.38f);
        byte[] json = MatchCodec.encode(MatchCodec.of(face, result));
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(1, node.get("v").asInt());
        assertEquals("gate-3 ü", node.get("camera").asText());
        assertEquals(42, node.get("sequence").asLong());
        assertEquals("ann", node.get("identity").asText());
        assertEquals("Ann Smith", node.get("name").asText());
        assertEquals(0.22, node.get("runner_up_score").asDouble(), 1e-6);
        assertEquals(0.38, node.get("threshold").asDouble(), 1e-6);
        assertEquals("c20fa0d6420a", node.get("model_version").asText());
        assertEquals(4, node.get("box").size());
        MatchRecord back = MatchCodec.decode(json);
        assertArrayEquals(new float[] {10.25f, 20.5f, 110.75f, 140f}, back.box());
        assertEquals(1_000_000_007L, back.offset());
        assertEquals(1_763_000_000_123L, back.capturedAt());
        assertTrue(back.known());
    }

    @Test
    void anUnmatchedFaceIsUnknownWithItsScores() {
        MatchResult result = new MatchResult(null, new Identity("bob", "Bob"), 0.31f, 0.12f, 0.38f);
        MatchRecord match = MatchCodec.decode(MatchCodec.encode(MatchCodec.of(sample(), result)));
        assertFalse(match.known());
        assertEquals(MatchRecord.UNKNOWN, match.identity());
        assertNull(match.name());
        assertEquals(0.31f, match.score());
    }

    @Test
    void aMatchOfAnotherVersionOrShapeIsRefused() {
        assertThrows(RecordFormatException.class, () -> MatchCodec.decode("{\"v\":2}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(RecordFormatException.class, () -> MatchCodec.decode("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
