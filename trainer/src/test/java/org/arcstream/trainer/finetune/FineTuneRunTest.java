package org.arcstream.trainer.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.SharedData;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short real fine-tuning runs on the LFW sample: 6 identities x 6 images, one epoch, last layers only. */
class FineTuneRunTest {

    private static List<LabeledCrop> crops;
    private static Path currentModel;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadCrops(@TempDir Path dir) throws Exception {
        crops = SharedData.smallGalleryCrops(dir.resolve("gallery"), 6, 6);
        currentModel = SharedData.defaultEmbeddingModel();
    }

    private static FineTuneSettings settings(String optimizer, double lr) {
        // 2 of 6 identities held out, 1 image per trained identity held out: 4 x 5 = 20 training crops, 2 steps of 10
        return new FineTuneSettings(1, 10, lr, optimizer, 0, 4, 32, 0.5, 0.34, 1, 3);
    }

    @Test
    void aGentleRunIsAcceptedAndItsModelRunsOnOnnxRuntime() throws Exception {
        List<ModelDraft> published = new ArrayList<>();
        RunReport report = new FineTuneRun(settings("sgd", 1e-3), GatePolicy.defaults(), InferenceOptions.defaults())
                .run(crops, 0, currentModel, tmp, d -> {
                    published.add(d);
                    return Sha256.modelId(d.onnxFile());
                }, TrainingProgress.NONE);

        assertEquals(20, report.dataCounts().get("train_images"));
        assertEquals(2, report.dataCounts().get("heldout_identities"));
        assertEquals(2, report.curves().stepLoss().length);
        assertTrue(Double.isFinite(report.curves().stepLoss()[1]));
        assertTrue(report.gate().accepted(), report.gate().reason());
        assertEquals(1, published.size());
        Path candidate = published.get(0).onnxFile();
        assertEquals(Sha256.modelId(candidate), report.publishedVersion());
        assertNotEquals(Sha256.hex(currentModel), Sha256.hex(candidate));
        assertEquals(Sha256.modelId(currentModel), published.get(0).parentVersion());
        assertEquals(report.gate().candidate().metrics(), published.get(0).metrics());
        ai.onnx.proto.OnnxMl.ModelProto proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(candidate));
        assertTrue(proto.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals(Lineage.PARENT_KEY)
                && p.getValue().equals(Sha256.hex(currentModel))));
        assertTrue(proto.getMetadataPropsList().stream().noneMatch(p -> p.getKey().equals(org.arcstream.core.model.DynamicBatchRewriter.SOURCE_DIGEST_KEY)));

        // the exported graph loads in ONNX Runtime, takes a batch, and gives unit-length finite embeddings
        try (FaceEmbedder embedder = new FaceEmbedder(EmbeddingModelSpec.load(candidate, "candidate", Preprocessing.DEFAULT), InferenceOptions.defaults(), 4, false)) {
            List<float[]> vectors = embedder.embed(crops.subList(0, 3).stream().map(LabeledCrop::crop).toList());
            assertEquals(3, vectors.size());
            double norm = 0;
            for (float v : vectors.get(0)) {
                assertTrue(Float.isFinite(v));
                norm += v * v;
            }
            assertEquals(512, vectors.get(0).length);
            assertEquals(1.0, Math.sqrt(norm), 1e-4);
        }
        for (String chart : report.charts()) {
            assertTrue(Files.size(Path.of(chart)) > 1000, chart);
        }
        // a run folder keeps no training data (README, "Deleting a person"): models and charts only, and the
        // report names no identity
        java.util.Set<String> charts = report.charts().stream().map(c -> Path.of(c).getFileName().toString())
                .collect(java.util.stream.Collectors.toSet());
        try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
            files.forEach(f -> assertTrue(f.toString().endsWith(".onnx") || charts.contains(f.getFileName().toString()),
                    "a run folder holds " + f));
        }
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(report);
        crops.stream().map(LabeledCrop::identity).distinct().forEach(id -> assertTrue(!json.contains(id), "the report names " + id));
    }

    @Test
    void aHarmfulRunWithAHugeLearningRateIsRejectedAndNotPublished() {
        List<ModelDraft> published = new ArrayList<>();
        RunReport report = new FineTuneRun(settings("adamw", 5.0), GatePolicy.defaults(), InferenceOptions.defaults())
                .run(crops, 0, currentModel, tmp, d -> {
                    published.add(d);
                    return "x";
                }, TrainingProgress.NONE);
        assertFalse(report.gate().accepted(), report.gate().reason());
        assertTrue(published.isEmpty());
        assertNull(report.publishedVersion());
        // the current model's figures are recorded either way
        assertTrue(report.gate().current().heldOutIdentities().auc() > 0.9);
    }
}
