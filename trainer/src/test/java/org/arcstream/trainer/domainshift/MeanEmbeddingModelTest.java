package org.arcstream.trainer.domainshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.InferenceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline model on ONNX Runtime gives what subtracting the mean in Java gives. */
class MeanEmbeddingModelTest {

    @TempDir
    Path dir;

    private static List<RgbImage> images(int n, long seed) {
        Random random = new Random(seed);
        List<RgbImage> images = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] px = new byte[3 * 112 * 112];
            int base = random.nextInt(200);
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) (base + (i / 3 % 112) / 3 + random.nextInt(20));
            }
            images.add(new RgbImage(112, 112, px));
        }
        return images;
    }

    @Test
    void theWrittenModelSubtractsTheMeanOfUnitEmbeddings() {
        Path model = FacePipelineConfig.from(Settings.load(null)).embedding().file();
        EmbeddingModelSpec spec = EmbeddingModelSpec.load(model, Sha256.modelId(model), Preprocessing.DEFAULT);
        InferenceOptions inference = InferenceOptions.defaults();
        float[] mean = MeanEmbeddingModel.meanEmbedding(spec, inference, images(6, 1));
        assertTrue(Math.abs(mean[0]) + Math.abs(mean[1]) > 0, "a mean of real embeddings is not zero");
        Path subtracted = MeanEmbeddingModel.write(model, mean, dir.resolve("mean.onnx"));

        List<RgbImage> probes = images(3, 2);
        List<float[]> plain, corrected;
        try (FaceEmbedder embedder = new FaceEmbedder(spec, inference, 1, false)) {
            plain = embedder.embed(probes);
        }
        EmbeddingModelSpec correctedSpec = EmbeddingModelSpec.load(subtracted, Sha256.modelId(subtracted), Preprocessing.DEFAULT);
        try (FaceEmbedder embedder = new FaceEmbedder(correctedSpec, inference, 1, false)) {
            corrected = embedder.embed(probes);
        }
        for (int p = 0; p < probes.size(); p++) {
            float[] unit = Embeddings.normalize(plain.get(p));
            float[] expected = new float[unit.length];
            for (int k = 0; k < unit.length; k++) {
                expected[k] = unit[k] - mean[k];
            }
            // compared as directions: the embedder returns unit vectors, and Embeddings.cosine is their dot product
            assertEquals(1.0, Embeddings.cosine(Embeddings.normalize(expected), corrected.get(p)), 1e-5, "probe " + p);
            assertTrue(Embeddings.cosine(unit, corrected.get(p)) < 0.9999, "probe " + p + " was changed");
        }
    }
}
