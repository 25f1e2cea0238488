package org.arcstream.trainer.graph;

import static org.arcstream.trainer.graph.OnnxRuntimeReference.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.model.FaceModelFiles;
import org.arcstream.trainer.loss.ArcFaceLoss;
import org.arcstream.trainer.optim.AdamW;
import org.arcstream.trainer.optim.Optimizer;
import org.arcstream.trainer.optim.Sgd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interpreter on the real embedding model, checked against ONNX Runtime. */
class TrainableFrFeatureTest {

    private static ModelProto batchModel;
    private static Path fixedModel;

    private NDManager manager;

    @BeforeAll
    static void models() throws IOException {
        FaceModelFiles files = DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir());
        batchModel = ModelProto.parseFrom(Files.readAllBytes(files.embedder()));
        fixedModel = DefaultFaceModels.defaultCacheDir().resolve("fr_feature.onnx");
    }

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[] faces(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * 3 * 112 * 112];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    private float[] forward(TrainableOnnxModel model, float[] input, int n) {
        try (NDManager step = manager.newSubManager()) {
            return model.forward(step.create(input, new Shape(n, 3, 112, 112)), false).toFloatArray();
        }
    }

    @Test
    void forwardMatchesOnnxRuntime() throws IOException {
        float[] batch = faces(3, 1);
        try (TrainableOnnxModel model = TrainableOnnxModel.of(batchModel, manager)) {
            float[] ours = forward(model, batch, 3);
            float[] reference = OnnxRuntimeReference.run(batchModel, batch, 3, 3, 112, 112);
            assertEquals(3 * 512, ours.length);
            System.out.println("fr_feature batch 3, interpreter vs ONNX Runtime, max abs difference: " + maxAbsDiff(ours, reference));
            assertTrue(maxAbsDiff(ours, reference) <= 1e-4, "max abs difference " + maxAbsDiff(ours, reference));
        }
        float[] one = faces(1, 2);
        try (TrainableOnnxModel model = TrainableOnnxModel.load(fixedModel, manager)) {
            ModelProto fixed = ModelProto.parseFrom(Files.readAllBytes(fixedModel));
            float[] ours = forward(model, one, 1);
            assertTrue(maxAbsDiff(ours, OnnxRuntimeReference.run(fixed, one, 1, 3, 112, 112)) <= 1e-4);
            IllegalArgumentException wrongBatch = assertThrows(IllegalArgumentException.class, () -> forward(model, faces(2, 3), 2));
            assertTrue(wrongBatch.getMessage().contains("does not fit model input 'input'"), wrongBatch.getMessage());
        }
    }

    /** One ArcFace step on a batch of two, one face per class; the class weights are fixed. */
    private void trainStep(TrainableOnnxModel model, Optimizer optimizer, NDArray classWeights, float[] batch) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(batch, new Shape(2, 3, 112, 112));
            NDArray labels = step.create(new int[] {0, 1});
            optimizer.zeroGradients();
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = new ArcFaceLoss(16, 0.5f, false).loss(model.forward(x, true), classWeights, labels);
                collector.backward(loss);
            }
            optimizer.step();
        }
    }

    @Test
    void exportedModelAfterOneStepRunsOnOnnxRuntimeLikeTheInterpreter(@TempDir Path dir) throws IOException {
        float[] batch = faces(2, 4);
        float[] probe = faces(2, 5);
        float[] before = OnnxRuntimeReference.run(batchModel, probe, 2, 3, 112, 112);
        try (TrainableOnnxModel model = TrainableOnnxModel.of(batchModel, manager);
                NDManager weights = manager.newSubManager()) {
            NDArray classWeights = weights.randomNormal(new Shape(2, 512));
            try (Optimizer sgd = new Sgd(model.trainableParameters(), 0.005f, 0.9f, 5e-4f)) {
                trainStep(model, sgd, classWeights, batch);
            }
            Path saved = dir.resolve("fine-tuned.onnx");
            model.save(saved);
            ModelProto exported = ModelProto.parseFrom(Files.readAllBytes(saved));
            assertEquals(batchModel.getGraph().getNodeList(), exported.getGraph().getNodeList(), "same graph");
            assertEquals(batchModel.getGraph().getInitializerCount(), exported.getGraph().getInitializerCount());

            float[] interpreter = forward(model, probe, 2);
            float[] after = OnnxRuntimeReference.run(exported, probe, 2, 3, 112, 112);
            System.out.println("after one step: exported on ONNX Runtime vs interpreter " + maxAbsDiff(interpreter, after)
                    + ", vs the original model " + maxAbsDiff(before, after));
            assertTrue(maxAbsDiff(interpreter, after) <= 1e-4, "exported vs interpreter: " + maxAbsDiff(interpreter, after));
            assertTrue(maxAbsDiff(before, after) > 1e-3, "the step changed nothing: " + maxAbsDiff(before, after));
        }
    }

    @Test
    void theLastLayersOnTheKeptPrefixOutputsGiveTheWholeGraphsEmbeddingsAndGradients() {
        float[] input = faces(3, 11);
        try (TrainableOnnxModel model = TrainableOnnxModel.of(batchModel, manager); NDManager step = manager.newSubManager()) {
            model.freezeAllButLast(0);
            assertEquals(null, model.frozenPrefix(), "nothing is frozen: no prefix");
            model.freezeAllButLast(4);
            TrainableOnnxModel.Prefix prefix = model.frozenPrefix();
            assertTrue(prefix != null && !prefix.outputs().isEmpty(), "a frozen prefix with outputs");
            NDArray x = step.create(input, new Shape(3, 3, 112, 112));
            NDArray whole;
            Map<String, float[]> wholeGradients = new HashMap<>();
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                whole = model.forward(x, true);
                collector.backward(whole.square().sum());
            }
            model.trainableParameters().forEach(p -> wholeGradients.put(p.getKey(), p.getValue().getGradient().toFloatArray()));
            model.trainableParameters().forEach(p -> p.getValue().getGradient().subi(p.getValue().getGradient()));

            // the prefix outputs go through plain float arrays, as the training cache keeps them
            Map<String, NDArray> kept = new HashMap<>();
            model.forwardPrefix(prefix, x).forEach((name, value) -> kept.put(name, step.create(value.toFloatArray(), value.getShape())));
            NDArray rest;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                rest = model.forwardFrom(prefix, kept, true);
                collector.backward(rest.square().sum());
            }
            assertTrue(maxAbsDiff(whole.toFloatArray(), rest.toFloatArray()) <= 1e-5, "embeddings " + maxAbsDiff(whole.toFloatArray(), rest.toFloatArray()));
            for (Pair<String, NDArray> p : model.trainableParameters()) {
                float[] g = p.getValue().getGradient().toFloatArray();
                assertTrue(maxAbsDiff(wholeGradients.get(p.getKey()), g) <= 1e-4 * Math.max(1, maxAbs(g)), p.getKey() + " gradient");
            }
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    @Test
    void frozenInitializersDoNotMove() {
        try (TrainableOnnxModel model = TrainableOnnxModel.of(batchModel, manager);
                NDManager weights = manager.newSubManager()) {
            int all = model.parameters().size();
            assertEquals(133, all, "every float initializer of fr_feature is a parameter");
            model.freezeAllButLast(3);
            List<String> trainable = model.trainableParameters().stream().map(Pair::getKey).toList();
            List<String> last = model.parameters().subList(all - 3, all).stream().map(Pair::getKey).toList();
            assertEquals(last, trainable);

            Map<String, float[]> before = new HashMap<>();
            model.parameters().forEach(p -> before.put(p.getKey(), p.getValue().toFloatArray()));
            try (Optimizer adam = new AdamW(model.trainableParameters(), 1e-3f)) {
                trainStep(model, adam, weights.randomNormal(new Shape(2, 512)), faces(2, 6));
            }
            List<String> moved = new ArrayList<>();
            for (Pair<String, NDArray> p : model.parameters()) {
                if (!java.util.Arrays.equals(before.get(p.getKey()), p.getValue().toFloatArray())) {
                    moved.add(p.getKey());
                }
            }
            assertEquals(trainable, moved, "exactly the unfrozen parameters moved");

            // frozen initializers are written back bit for bit
            Map<String, TensorProto> exported = new HashMap<>();
            model.export().getGraph().getInitializerList().forEach(t -> exported.put(t.getName(), t));
            TensorProto first = batchModel.getGraph().getInitializer(0);
            assertFalse(trainable.contains(first.getName()));
            assertArrayEquals(before.get(first.getName()), OnnxTensorsAccess.floats(exported.get(first.getName())));

            model.freezeAllButLast(0);
            assertEquals(all, model.trainableParameters().size(), "n <= 0 trains everything");
        }
    }

    @Test
    void aFewStepsReduceTheLossOnATinyBatch() {
        float[] batch = faces(2, 7);
        try (TrainableOnnxModel model = TrainableOnnxModel.of(batchModel, manager);
                NDManager weights = manager.newSubManager()) {
            NDArray classWeights = weights.randomNormal(new Shape(2, 512));
            List<Float> losses = new ArrayList<>();
            // the last layers only, which keeps the backward pass (and the test) short
            model.freezeAllButLast(10);
            try (Optimizer adam = new AdamW(model.trainableParameters(), 3e-3f)) {
                for (int i = 0; i < 4; i++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = step.create(batch, new Shape(2, 3, 112, 112));
                        adam.zeroGradients();
                        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDArray loss = new ArcFaceLoss(16, 0.5f, false).loss(model.forward(x, true), classWeights, step.create(new int[] {0, 1}));
                            losses.add(loss.getFloat());
                            collector.backward(loss);
                        }
                        adam.step();
                    }
                }
            }
            System.out.println("ArcFace loss over 4 AdamW steps: " + losses);
            assertTrue(losses.get(3) < 0.8 * losses.get(0), "loss did not fall: " + losses);
        }
    }

    @Test
    void unsupportedOperatorsAndAttributesNameTheNode() {
        ModelProto renamed = batchModel.toBuilder().setGraph(batchModel.getGraph().toBuilder()
                .setNode(1, batchModel.getGraph().getNode(1).toBuilder().setOpType("LRN"))).build();
        UnsupportedModelException op = assertThrows(UnsupportedModelException.class, () -> TrainableOnnxModel.of(renamed, manager));
        assertTrue(op.getMessage().contains("PRelu_1") && op.getMessage().contains("LRN"), op.getMessage());

        ModelProto samePad = batchModel.toBuilder().setGraph(batchModel.getGraph().toBuilder()
                .setNode(0, batchModel.getGraph().getNode(0).toBuilder().addAttribute(
                        ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("activation").setS(com.google.protobuf.ByteString.copyFromUtf8("relu"))))).build();
        UnsupportedModelException attribute = assertThrows(UnsupportedModelException.class, () -> TrainableOnnxModel.of(samePad, manager));
        assertTrue(attribute.getMessage().contains("Conv_0") && attribute.getMessage().contains("activation"), attribute.getMessage());
    }

    @Test
    void brokenFilesGiveAClearError(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.onnx");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5, 6, 7});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainableOnnxModel.load(broken, manager));
        assertTrue(e.getMessage().contains("broken.onnx"), e.getMessage());
    }
}
