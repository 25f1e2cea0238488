package org.arcstream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.runtime.OnnxModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PRelu rewrite changes the graph ONNX Runtime runs, never what it computes. */
class PreluRewriterTest {

    private static final OrtEnvironment ENV = OnnxModels.environment();

    private static Path model(String name) {
        Path dir = DefaultFaceModels.defaultCacheDir();
        DefaultFaceModels.ensure(dir);
        return dir.resolve(name);
    }

    @Test
    void theEmbeddingModelComputesTheSameWithoutAnyPrelu() throws Exception {
        Path original = model(DefaultFaceModels.BATCH_EMBEDDER);
        ModelProto source = ModelProto.parseFrom(Files.readAllBytes(original));
        ModelProto rewritten = PreluRewriter.rewrite(source);
        assertEquals(33, count(source, "PRelu"));
        assertEquals(0, count(rewritten, "PRelu"));
        assertEquals(count(source, "Conv") + 2 * 33, count(rewritten, "Conv"));

        int batch = 4, per = 3 * 112 * 112;
        float[] inputs = new float[batch * per];
        Random random = new Random(7);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextGaussian() * 0.5f;
        }
        try (OrtSession before = ENV.createSession(original.toString());
                OrtSession after = ENV.createSession(rewritten.toByteArray())) {
            float[][] expected = run(before, inputs, batch);
            float[][] actual = run(after, inputs, batch);
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < expected[b].length; k++) {
                    assertEquals(expected[b][k], actual[b][k], 1e-5f, "sample " + b + " value " + k);
                }
            }
        }
    }

    @Test
    void aModelWithoutPreluIsReturnedAsItIs() throws IOException {
        ModelProto detector = ModelProto.parseFrom(Files.readAllBytes(model("fr_detect.onnx")));
        assertSame(detector, PreluRewriter.rewrite(detector));
    }

    @Test
    void theRewrittenCopyIsMadeOnceInTheCacheAndModelsWithoutPreluLoadAsTheyAre(@TempDir Path cache) throws IOException {
        Path embedder = model(DefaultFaceModels.BATCH_EMBEDDER);
        Path copy = InferenceModelFiles.forInference(embedder, List.of(cache));
        assertNotEquals(embedder, copy);
        assertTrue(copy.startsWith(cache) && copy.getFileName().toString().startsWith(Sha256.hex(embedder)), copy.toString());
        long written = Files.getLastModifiedTime(copy).toMillis();
        assertEquals(copy, InferenceModelFiles.forInference(embedder, List.of(cache)));
        assertEquals(written, Files.getLastModifiedTime(copy).toMillis());

        Path detector = model("fr_detect.onnx");
        assertEquals(detector, InferenceModelFiles.forInference(detector, List.of(cache)));
    }

    @Test
    void aFileUnderTheCopysNameThatHoldsSomethingElseIsReplaced(@TempDir Path cache) throws IOException {
        Path embedder = model(DefaultFaceModels.BATCH_EMBEDDER);
        Path copy = InferenceModelFiles.forInference(embedder, List.of(cache));
        byte[] good = Files.readAllBytes(copy);
        Files.write(copy, Files.readAllBytes(model("fr_detect.onnx")));
        assertEquals(copy, InferenceModelFiles.forInference(embedder, List.of(cache)));
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(copy)), "the foreign file was kept");
    }

    @Test
    void anUnwritableCacheFallsBackToTheNextFolderThenToTheModelItself(@TempDir Path dir) throws IOException {
        Path unwritable = Files.writeString(dir.resolve("file"), "x").resolve("cache");
        Path embedder = model(DefaultFaceModels.BATCH_EMBEDDER);
        assertTrue(InferenceModelFiles.forInference(embedder, List.of(unwritable, dir.resolve("next"))).startsWith(dir.resolve("next")));
        assertEquals(embedder, InferenceModelFiles.forInference(embedder, List.of(unwritable)));
    }

    private static long count(ModelProto model, String op) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter(op::equals).count();
    }

    private static float[][] run(OrtSession session, float[] inputs, int batch) throws Exception {
        try (OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(inputs), new long[] {batch, 3, 112, 112});
                OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), in))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
