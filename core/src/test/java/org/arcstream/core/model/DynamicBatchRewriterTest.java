package org.arcstream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.runtime.OnnxModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DynamicBatchRewriterTest {

    private static final OrtEnvironment ENV = OnnxModels.environment();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fr_feature.onnx, fr_feature.batch.onnx, 3, 112", "fr_landmark.onnx, fr_landmark.batch.onnx, 1, 64"})
    void aBatchGivesTheSameOutputsAsSingleRuns(String original, String rewritten, int channels, int side) throws Exception {
        Path dir = DefaultFaceModels.defaultCacheDir();
        DefaultFaceModels.ensure(dir);
        Path fixed = dir.resolve(original), dynamic = dir.resolve(rewritten);
        assertTrue(!OnnxModels.hasDynamicBatch(fixed) && OnnxModels.hasDynamicBatch(dynamic));

        int batch = 5, per = channels * side * side;
        float[] inputs = new float[batch * per];
        Random random = new Random(42);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextGaussian() * 0.5f;
        }
        try (OrtSession one = ENV.createSession(fixed.toString()); OrtSession many = ENV.createSession(dynamic.toString())) {
            TensorInfo info = (TensorInfo) many.getInputInfo().values().iterator().next().getInfo();
            assertEquals(-1, info.getShape()[0], "symbolic batch dimension");
            float[][] batched = run(many, inputs, new long[] {batch, channels, side, side});
            assertEquals(batch, batched.length);
            for (int b = 0; b < batch; b++) {
                float[] single = new float[per];
                System.arraycopy(inputs, b * per, single, 0, per);
                float[] expected = run(one, single, new long[] {1, channels, side, side})[0];
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], batched[b][k], 1e-5f, "sample " + b + " value " + k);
                }
            }
        }
    }

    private static float[][] run(OrtSession session, float[] data, long[] shape) throws Exception {
        String name = session.getInputNames().iterator().next();
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), shape);
                OrtSession.Result result = session.run(Map.of(name, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
