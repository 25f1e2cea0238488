package org.arcstream.trainer.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.embed.PreprocessingMetadata;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.OnnxModels;
import org.arcstream.trainer.SharedData;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.gate.ModelEvaluation;
import org.arcstream.trainer.gate.ModelEvaluator;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose metadata says BGR, mean 0.5, std 64 is trained, gated and embedded with exactly that
 * preprocessing; a model whose metadata disagrees with its input shape is refused with the reason.
 */
class ModelPreprocessingTest {

    private static final Preprocessing BGR = new Preprocessing(112, 0.5f, 64f, Preprocessing.ChannelOrder.BGR);

    private static List<LabeledCrop> crops;
    private static Path defaultModel;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadCrops(@TempDir Path dir) throws Exception {
        crops = SharedData.smallGalleryCrops(dir.resolve("gallery"), 6, 6);
        defaultModel = SharedData.defaultEmbeddingModel();
    }

    private Path bgrModel() throws Exception {
        Path model = Files.copy(defaultModel, tmp.resolve("bgr.onnx"));
        PreprocessingMetadata.write(model, BGR);
        return model;
    }

    @Test
    void embeddingAndTheGateUseThePreprocessingTheMetadataStates() throws Exception {
        Path model = bgrModel();
        List<RgbImage> images = crops.subList(0, 3).stream().map(LabeledCrop::crop).toList();
        List<float[]> explicit = explicitBgrEmbeddings(model, images);
        try (FaceEmbedder stated = new FaceEmbedder(EmbeddingModelSpec.load(model, "bgr", Preprocessing.DEFAULT), InferenceOptions.defaults(), 8, false);
                FaceEmbedder rgb = new FaceEmbedder(EmbeddingModelSpec.withDefaultPreprocessing(model, "rgb"), InferenceOptions.defaults(), 8, false)) {
            List<float[]> embedded = stated.embed(images);
            List<float[]> asRgb = rgb.embed(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(explicit.get(i), embedded.get(i), 1e-5f, "crop " + i);
                assertTrue(Embeddings.cosine(asRgb.get(i), embedded.get(i)) < 0.99f, "RGB/127/128 would give another embedding");
            }
        }
        // the gate's figures: every score is the cosine of the explicitly computed embeddings
        DatasetSplit split = DatasetSplit.of(crops, 3, 0.34, 1);
        ModelEvaluation evaluation = new ModelEvaluator(InferenceOptions.defaults(), 8).evaluate(model, split);
        List<float[]> heldOut = explicitBgrEmbeddings(model, split.heldOutIdentities().stream().map(LabeledCrop::crop).toList());
        List<ScoredPair> pairs = evaluation.heldOutIdentityPairs();
        assertEquals(Embeddings.cosine(heldOut.get(0), heldOut.get(1)), pairs.get(0).score(), 1e-5);
        assertEquals(Embeddings.cosine(heldOut.get(0), heldOut.get(2)), pairs.get(1).score(), 1e-5);
    }

    @Test
    void aBgrModelIsTrainedWithItsPreprocessingAndItsSuccessorStatesIt() throws Exception {
        Path model = bgrModel();
        List<ModelDraft> published = new ArrayList<>();
        // a vanishing learning rate, so that the candidate's figures can be compared with the starting model's
        FineTuneSettings still = new FineTuneSettings(1, 10, 1e-12, "sgd", 0, 4, 32, 0.5, 0.34, 1, 3);
        RunReport report = new FineTuneRun(still, GatePolicy.defaults(), InferenceOptions.defaults())
                .run(crops, 0, model, tmp.resolve("run"), d -> {
                    published.add(d);
                    return Sha256.modelId(d.onnxFile());
                }, TrainingProgress.NONE);
        assertTrue(report.gate().accepted(), report.gate().reason());
        assertEquals(1, published.size());
        Path candidate = published.get(0).onnxFile();
        assertEquals(BGR, PreprocessingMetadata.stated(candidate).orElseThrow(), "the trained model states the preprocessing it was trained with");
        // gated with it: the candidate's figures are those of the BGR model (the weights all but unchanged)
        assertEquals(report.gate().current().heldOutIdentities().auc(), report.gate().candidate().heldOutIdentities().auc(), 1e-6);
    }

    @Test
    void aModelWhoseMetadataDisagreesWithItsInputShapeIsRefused() throws Exception {
        Path model = Files.copy(defaultModel, tmp.resolve("wrong.onnx"));
        PreprocessingMetadata.write(model, new Preprocessing(128, 127f, 128f, Preprocessing.ChannelOrder.RGB));
        FineTuneSettings settings = new FineTuneSettings(1, 10, 1e-3, "sgd", 0, 4, 32, 0.5, 0.34, 1, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> new FineTuneRun(settings, GatePolicy.defaults(), InferenceOptions.defaults())
                .run(crops, 0, model, tmp.resolve("run"), d -> "x", TrainingProgress.NONE));
        assertTrue(e.getMessage().contains("its metadata says input size 128 (arcstream.input_size) but its input 'input' is [-1, 3, 112, 112]"),
                e.getMessage());
        var gate = assertThrows(IllegalArgumentException.class,
                () -> new ModelEvaluator(InferenceOptions.defaults(), 8).evaluate(model, DatasetSplit.of(crops, 3, 0.34, 1)));
        assertTrue(gate.getMessage().contains("its metadata says input size 128"), gate.getMessage());
    }

    /** BGR planes of (pixel - 0.5) / 64 by hand, one crop per plain ONNX Runtime call, L2-normalized. */
    private static List<float[]> explicitBgrEmbeddings(Path model, List<RgbImage> images) throws Exception {
        OrtEnvironment env = OnnxModels.environment();
        List<float[]> out = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(model.toString(), options)) {
            for (RgbImage image : images) {
                int plane = 112 * 112;
                float[] chw = new float[3 * plane];
                byte[] px = image.pixels();
                for (int i = 0; i < plane; i++) {
                    chw[i] = ((px[3 * i + 2] & 0xFF) - 0.5f) / 64f; // blue first
                    chw[plane + i] = ((px[3 * i + 1] & 0xFF) - 0.5f) / 64f;
                    chw[2 * plane + i] = ((px[3 * i] & 0xFF) - 0.5f) / 64f;
                }
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, 3, 112, 112});
                        OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
                    out.add(Embeddings.normalize(((float[][]) result.get(0).getValue())[0]));
                }
            }
        }
        return out;
    }
}
