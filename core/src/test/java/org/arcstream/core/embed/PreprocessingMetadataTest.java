package org.arcstream.core.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.arcstream.core.TestData;
import org.arcstream.core.config.Settings;
import org.arcstream.core.model.DynamicBatchRewriter;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocessing a model states in its ONNX metadata: read, written, and refused where it cannot be right. */
class PreprocessingMetadataTest {

    private static final Path EMBEDDING = TestData.defaultConfig().embedding().file();
    private static final Preprocessing BGR = new Preprocessing(112, 0.5f, 64f, Preprocessing.ChannelOrder.BGR);

    @Test
    void aModelWithoutMetadataGetsTheFallbackAndOneWithItItsOwn(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), PreprocessingMetadata.stated(EMBEDDING), "the shipped model states nothing");
        assertEquals(Preprocessing.DEFAULT, PreprocessingMetadata.of(EMBEDDING, Preprocessing.DEFAULT));
        Path copy = Files.copy(EMBEDDING, dir.resolve("bgr.onnx"));
        PreprocessingMetadata.write(copy, BGR);
        assertEquals(BGR, PreprocessingMetadata.of(copy, Preprocessing.DEFAULT));
        // written again, it replaces what was there and keeps the other metadata
        PreprocessingMetadata.write(copy, Preprocessing.DEFAULT);
        assertEquals(Preprocessing.DEFAULT, PreprocessingMetadata.of(copy, BGR));
        assertEquals(DynamicBatchRewriter.sourceDigest(EMBEDDING), DynamicBatchRewriter.sourceDigest(copy));
    }

    @Test
    void metadataThatDisagreesWithTheInputShapeIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(EMBEDDING, dir.resolve("m.onnx"));
        PreprocessingMetadata.write(copy, new Preprocessing(128, 127f, 128f, Preprocessing.ChannelOrder.RGB));
        var e = assertThrows(IllegalArgumentException.class, () -> PreprocessingMetadata.of(copy, Preprocessing.DEFAULT));
        assertTrue(e.getMessage().contains("its metadata says input size 128 (arcstream.input_size) but its input 'input' is [-1, 3, 112, 112]"),
                e.getMessage());
        assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
        // the same mismatch from the configuration of a model that states nothing
        var configured = assertThrows(IllegalArgumentException.class,
                () -> PreprocessingMetadata.of(EMBEDDING, new Preprocessing(128, 127f, 128f, Preprocessing.ChannelOrder.RGB)));
        assertTrue(configured.getMessage().contains("the configured input size is 128 (embedding.input-size)"), configured.getMessage());
    }

    @Test
    void partialOrMalformedMetadataIsRefused(@TempDir Path dir) throws Exception {
        Path partial = withMetadata(dir.resolve("partial.onnx"), Map.of(PreprocessingMetadata.MEAN, "0.5"));
        var e = assertThrows(IllegalArgumentException.class, () -> PreprocessingMetadata.of(partial, Preprocessing.DEFAULT));
        assertTrue(e.getMessage().contains("states only part of its preprocessing"), e.getMessage());
        Path malformed = withMetadata(dir.resolve("malformed.onnx"), Map.of(PreprocessingMetadata.INPUT_SIZE, "112",
                PreprocessingMetadata.MEAN, "half", PreprocessingMetadata.STD, "1", PreprocessingMetadata.CHANNEL_ORDER, "rgb"));
        var m = assertThrows(IllegalArgumentException.class, () -> PreprocessingMetadata.of(malformed, Preprocessing.DEFAULT));
        assertTrue(m.getMessage().contains("unusable preprocessing metadata"), m.getMessage());
        Path order = withMetadata(dir.resolve("order.onnx"), Map.of(PreprocessingMetadata.INPUT_SIZE, "112",
                PreprocessingMetadata.MEAN, "0", PreprocessingMetadata.STD, "1", PreprocessingMetadata.CHANNEL_ORDER, "grb"));
        var o = assertThrows(IllegalArgumentException.class, () -> PreprocessingMetadata.of(order, Preprocessing.DEFAULT));
        assertTrue(o.getMessage().contains("channel order must be rgb or bgr, got 'grb'"), o.getMessage());
    }

    @Test
    void thePipelineFollowsTheMetadataAndRefusesSettingsThatContradictIt(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(EMBEDDING, dir.resolve("bgr.onnx"));
        PreprocessingMetadata.write(copy, BGR);
        Settings base = Settings.load(null).with("embedding.model", copy.toString());
        assertEquals(BGR, FacePipelineConfig.from(base).embedding().preprocessing());
        assertEquals(BGR, FacePipelineConfig.from(base.with("embedding.channel-order", "bgr")).embedding().preprocessing(),
                "a setting that agrees is fine");
        var e = assertThrows(IllegalArgumentException.class, () -> FacePipelineConfig.from(base.with("embedding.mean", "127")));
        assertTrue(e.getMessage().contains("contradict what model " + copy), e.getMessage());
        // a model that states nothing takes the settings
        Settings plain = Settings.load(null).with("embedding.model", EMBEDDING.toString()).with("embedding.channel-order", "bgr");
        assertEquals(Preprocessing.ChannelOrder.BGR, FacePipelineConfig.from(plain).embedding().preprocessing().channelOrder());
    }

    private static Path withMetadata(Path target, Map<String, String> entries) throws Exception {
        ModelProto.Builder b = ModelProto.parseFrom(Files.readAllBytes(EMBEDDING)).toBuilder();
        entries.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        Files.write(target, b.build().toByteArray());
        return target;
    }
}
