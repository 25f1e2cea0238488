package org.arcstream.core.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.Preprocessing;
import org.junit.jupiter.api.Test;

class ModelEventCodecTest {

    private static final String SHA = "c20fa0d6420a" + "0123456789abcdef0123456789abcdef0123456789abcdef0123";

    @Test
    void roundTripKeepsEveryField() {
        ModelEvent event = ModelEvent.of(SHA, "87aacdfe5751", "file:///models/c20fa0d6420a/model.onnx",
                Map.of("heldout_identities.auc", 0.987654321, "heldout_identities.tar_at_far_1pct", 0.9), 1763000000123L);
        ModelEvent back = ModelEventCodec.decode(ModelEventCodec.encode(event));
        assertEquals(event, back);
        assertEquals("c20fa0d6420a", back.modelVersion());
        assertEquals(0.987654321, back.metrics().get("heldout_identities.auc"));
    }

    @Test
    void preprocessingTravelsWithTheEventAndOldEventsWithoutItStillDecode() {
        Preprocessing bgr = new Preprocessing(112, 0.5f, 64f, Preprocessing.ChannelOrder.BGR);
        ModelEvent event = ModelEvent.of(SHA, null, "file:///m.onnx", Map.of(), 1L, bgr);
        String json = new String(ModelEventCodec.encode(event), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"preprocessing\":{\"input_size\":112,\"mean\":0.5,\"std\":64.0,\"channel_order\":\"bgr\"}"), json);
        assertEquals(bgr, ModelEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).preprocessing());

        String old = "{\"v\":1,\"model_version\":\"c20fa0d6420a\",\"sha256\":\"" + SHA
                + "\",\"location\":\"file:///m.onnx\",\"metrics\":{},\"created_at\":5}";
        assertNull(ModelEventCodec.decode(old.getBytes(StandardCharsets.UTF_8)).preprocessing());
        assertTrue(!new String(ModelEventCodec.encode(ModelEvent.of(SHA, null, "file:///m.onnx", Map.of(), 1L)), StandardCharsets.UTF_8)
                .contains("preprocessing"), "an event without preprocessing is written as before");

        String unusable = old.substring(0, old.length() - 1) + ",\"preprocessing\":{\"input_size\":112,\"mean\":0,\"std\":0,\"channel_order\":\"rgb\"}}";
        assertThrows(RecordFormatException.class, () -> ModelEventCodec.decode(unusable.getBytes(StandardCharsets.UTF_8)));
        String unknownOrder = old.substring(0, old.length() - 1) + ",\"preprocessing\":{\"input_size\":112,\"mean\":0,\"std\":1,\"channel_order\":\"grb\"}}";
        assertThrows(RecordFormatException.class, () -> ModelEventCodec.decode(unknownOrder.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rocCurvesTravelWithTheEventAndOldEventsWithoutThemStillDecode() {
        RocCurve curve = new RocCurve(List.of(0.001, 0.01, 1.0), List.of(0.5, 0.9, 1.0), List.of(0.4, 0.85, 1.0));
        ModelEvent event = ModelEvent.of(SHA, "87aacdfe5751", "file:///m.onnx", Map.of(), 1L, null, Map.of("heldout_identities", curve));
        String json = new String(ModelEventCodec.encode(event), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"roc\":{\"heldout_identities\":{\"far\":[0.001,0.01,1.0],\"tar\":[0.5,0.9,1.0],\"parent_tar\":[0.4,0.85,1.0]}}"), json);
        assertEquals(event, ModelEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)));

        String old = "{\"v\":1,\"model_version\":\"c20fa0d6420a\",\"sha256\":\"" + SHA
                + "\",\"location\":\"file:///m.onnx\",\"metrics\":{},\"created_at\":5}";
        assertNull(ModelEventCodec.decode(old.getBytes(StandardCharsets.UTF_8)).roc());
        assertTrue(!new String(ModelEventCodec.encode(ModelEvent.of(SHA, null, "file:///m.onnx", Map.of(), 1L)), StandardCharsets.UTF_8)
                .contains("roc"), "an event without curves is written as before");
        String withoutParent = old.substring(0, old.length() - 1) + ",\"roc\":{\"heldout_images\":{\"far\":[0.5],\"tar\":[1]}}}";
        assertNull(ModelEventCodec.decode(withoutParent.getBytes(StandardCharsets.UTF_8)).roc().get("heldout_images").parentTar());

        for (String bad : new String[] {"{\"far\":[0.1,0.01],\"tar\":[0.5,0.6]}", "{\"far\":[0.1],\"tar\":[1.5]}",
                "{\"far\":[0.1,0.2],\"tar\":[0.5]}", "{\"far\":[],\"tar\":[]}", "{\"far\":[0],\"tar\":[0]}"}) {
            String event2 = old.substring(0, old.length() - 1) + ",\"roc\":{\"s\":" + bad + "}}";
            assertThrows(RecordFormatException.class, () -> ModelEventCodec.decode(event2.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new RocCurve(java.util.stream.IntStream.rangeClosed(1, RocCurve.MAX_POINTS + 1)
                .mapToObj(i -> i / 100.0).toList(), java.util.Collections.nCopies(RocCurve.MAX_POINTS + 1, 1.0), null), "too many points");
    }

    @Test
    void importedModelHasNoParent() {
        ModelEvent event = ModelEvent.of(SHA, null, "file:///m.onnx", Map.of(), 1L);
        ModelEvent back = ModelEventCodec.decode(ModelEventCodec.encode(event));
        assertNull(back.parentVersion());
        assertTrue(new String(ModelEventCodec.encode(event), StandardCharsets.UTF_8).contains("\"v\":1"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"v\":1,\"model_version\":\"c20fa0d6420a\",\"sha256\":\"" + SHA
                + "\",\"location\":\"file:///m.onnx\",\"metrics\":{},\"created_at\":5,\"future\":true}";
        assertEquals(5L, ModelEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).createdMillis());
    }

    @Test
    void refusesNewerVersionsBrokenHashesAndGarbage() {
        String newer = "{\"v\":2,\"model_version\":\"c20fa0d6420a\",\"sha256\":\"" + SHA + "\",\"location\":\"x\"}";
        String wrongPrefix = "{\"v\":1,\"model_version\":\"ffffffffffff\",\"sha256\":\"" + SHA + "\",\"location\":\"x\"}";
        String shortHash = "{\"v\":1,\"model_version\":\"c20f\",\"sha256\":\"c20f\",\"location\":\"x\"}";
        String noLocation = "{\"v\":1,\"model_version\":\"c20fa0d6420a\",\"sha256\":\"" + SHA + "\"}";
        String nullMetric = "{\"v\":1,\"model_version\":\"c20fa0d6420a\",\"sha256\":\"" + SHA + "\",\"location\":\"x\",\"metrics\":{\"auc\":null}}";
        for (String bad : new String[] {newer, wrongPrefix, shortHash, noLocation, nullMetric, "not json", "null", "", "{\"v\":1}"}) {
            assertThrows(RecordFormatException.class, () -> ModelEventCodec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    void ofRejectsAMalformedDigest() {
        assertThrows(IllegalArgumentException.class, () -> ModelEvent.of("XYZ", null, "file:///m.onnx", Map.of(), 0));
    }
}
