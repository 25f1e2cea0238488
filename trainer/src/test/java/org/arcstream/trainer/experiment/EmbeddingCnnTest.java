package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.runtime.OnnxModels;
import org.junit.jupiter.api.Test;

/** Runs the built graph in ONNX Runtime and checks it against a plain-Java forward pass of the same weights. */
class EmbeddingCnnTest {

    private static float[][] run(ModelProto model, float[] input, int n, int side) throws OrtException {
        // through DJL, which must create the environment itself when a later test in this JVM loads a model
        OrtEnvironment env = OnnxModels.environment();
        try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {n, 1, side, side});
                OrtSession.Result result = session.run(Map.of(EmbeddingCnn.INPUT, x))) {
            OnnxTensor y = (OnnxTensor) result.get(EmbeddingCnn.OUTPUT).orElseThrow();
            long[] shape = y.getInfo().getShape();
            assertArrayEquals(new long[] {n, model.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue()}, shape);
            return (float[][]) y.getValue();
        }
    }

    private static float[] randomImages(int n, int side, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * side * side];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    @Test
    void fashionMnistSizedGraphGivesOneEmbeddingPerImage() throws OrtException {
        EmbeddingCnn.Architecture arch = EmbeddingCnn.Architecture.fashionMnist(16, 32, 64, 3);
        float[][] y = run(EmbeddingCnn.build(arch, 1), randomImages(5, 28, 2), 5, 28);
        assertEquals(5, y.length);
        for (float[] row : y) {
            assertEquals(3, row.length);
            for (float v : row) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertNotEquals(y[0][0], y[1][0], "different images give different embeddings");
    }

    @Test
    void graphComputesConvPoolDenseAndNormLayersAsSpecified() throws OrtException {
        checkAgainstPlainJava(new EmbeddingCnn.Architecture(8, 2, 3, 5, 4));
    }

    @Test
    void convolutionsAreBatchNormalizedWhenAsked() throws OrtException {
        EmbeddingCnn.Architecture arch = new EmbeddingCnn.Architecture(8, 2, 3, 5, 4, true);
        assertEquals(3, EmbeddingCnn.build(arch, 7).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("BatchNormalization")).count());
        checkAgainstPlainJava(arch);
    }

    /**
     * ONNX Runtime against plain Java on two random images; every batch norm gets random statistics, scale
     * and shift first, as a trained network has them (at their initial values a batch norm is nearly the identity).
     */
    private static void checkAgainstPlainJava(EmbeddingCnn.Architecture arch) throws OrtException {
        ModelProto model = withRandomBatchNorm(EmbeddingCnn.build(arch, 7), new Random(9));
        float[] input = randomImages(2, 8, 3);
        float[][] ort = run(model, input, 2, 8);
        Map<String, float[]> w = weights(model);
        for (int i = 0; i < 2; i++) {
            float[][][] x = new float[1][8][8];
            for (int p = 0; p < 64; p++) {
                x[0][p / 8][p % 8] = input[i * 64 + p];
            }
            float[][][] h = maxPool(relu(convNorm(arch, w, "conv1", conv3x3(x, w.get("conv1.weight"), w.get("conv1.bias"), 2))));
            h = maxPool(relu(convNorm(arch, w, "conv2", conv3x3(h, w.get("conv2.weight"), w.get("conv2.bias"), 3))));
            float[] flat = new float[3 * 2 * 2];
            for (int c = 0, k = 0; c < 3; c++) {
                for (int r = 0; r < 2; r++) {
                    for (int col = 0; col < 2; col++) {
                        flat[k++] = h[c][r][col];
                    }
                }
            }
            float[] hidden = dense(flat, w.get("fc.weight"), w.get("fc.bias"), 5);
            for (int k = 0; k < hidden.length; k++) {
                hidden[k] = Math.max(0, hidden[k]);
            }
            float[] expected = dense(hidden, w.get("embedding.weight"), w.get("embedding.bias"), 4);
            for (int k = 0; k < expected.length; k++) {
                // inference-mode batch norm with the running statistics
                expected[k] = (float) ((expected[k] - w.get("bn.mean")[k]) / Math.sqrt(w.get("bn.var")[k] + EmbeddingCnn.BN_EPSILON)
                        * w.get("bn.scale")[k] + w.get("bn.bias")[k]);
            }
            assertArrayEquals(expected, ort[i], 1e-4f, "image " + i);
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        EmbeddingCnn.Architecture arch = EmbeddingCnn.Architecture.fashionMnist(4, 4, 8, 2);
        assertEquals(EmbeddingCnn.build(arch, 5), EmbeddingCnn.build(arch, 5));
        assertNotEquals(EmbeddingCnn.build(arch, 5), EmbeddingCnn.build(arch, 6));
    }

    @Test
    void refusesSidesThatDoNotPoolTwice() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCnn.Architecture(30, 4, 4, 8, 2));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCnn.Architecture(28, 4, 0, 8, 2));
    }

    private static Map<String, float[]> weights(ModelProto model) {
        Map<String, float[]> out = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            FloatBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            out.put(t.getName(), v);
        }
        return out;
    }

    private static ModelProto withRandomBatchNorm(ModelProto model, Random random) {
        ModelProto.Builder b = model.toBuilder();
        for (TensorProto.Builder t : b.getGraphBuilder().getInitializerBuilderList()) {
            String name = t.getName();
            if (name.endsWith(".mean") || name.endsWith(".var") || name.endsWith(".scale") || (name.contains("bn") && name.endsWith(".bias"))) {
                int n = (int) t.getDims(0);
                ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    double g = random.nextGaussian();
                    bytes.putFloat((float) (name.endsWith(".var") ? 0.5 + g * g : name.endsWith(".scale") ? 1 + 0.5 * g : 0.5 * g));
                }
                t.setRawData(ByteString.copyFrom(bytes.array()));
            }
        }
        return b.build();
    }

    /** Inference-mode batch norm of a convolution's output when the architecture has one, else the output as it is. */
    private static float[][][] convNorm(EmbeddingCnn.Architecture arch, Map<String, float[]> w, String conv, float[][][] x) {
        if (!arch.convBatchNorm()) {
            return x;
        }
        float[] mean = w.get(conv + ".bn.mean"), var = w.get(conv + ".bn.var"), scale = w.get(conv + ".bn.scale"), bias = w.get(conv + ".bn.bias");
        for (int c = 0; c < x.length; c++) {
            for (float[] row : x[c]) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) ((row[i] - mean[c]) / Math.sqrt(var[c] + EmbeddingCnn.BN_EPSILON) * scale[c] + bias[c]);
                }
            }
        }
        return x;
    }

    private static float[][][] conv3x3(float[][][] x, float[] weight, float[] bias, int outChannels) {
        int in = x.length, side = x[0].length;
        float[][][] y = new float[outChannels][side][side];
        for (int o = 0; o < outChannels; o++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    float s = bias[o];
                    for (int i = 0; i < in; i++) {
                        for (int kr = 0; kr < 3; kr++) {
                            for (int kc = 0; kc < 3; kc++) {
                                int rr = r + kr - 1, cc = c + kc - 1;
                                if (rr >= 0 && rr < side && cc >= 0 && cc < side) {
                                    s += x[i][rr][cc] * weight[((o * in + i) * 3 + kr) * 3 + kc];
                                }
                            }
                        }
                    }
                    y[o][r][c] = s;
                }
            }
        }
        return y;
    }

    private static float[][][] relu(float[][][] x) {
        for (float[][] plane : x) {
            for (float[] row : plane) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = Math.max(0, row[i]);
                }
            }
        }
        return x;
    }

    private static float[][][] maxPool(float[][][] x) {
        int half = x[0].length / 2;
        float[][][] y = new float[x.length][half][half];
        for (int c = 0; c < x.length; c++) {
            for (int r = 0; r < half; r++) {
                for (int col = 0; col < half; col++) {
                    y[c][r][col] = Math.max(Math.max(x[c][2 * r][2 * col], x[c][2 * r][2 * col + 1]),
                            Math.max(x[c][2 * r + 1][2 * col], x[c][2 * r + 1][2 * col + 1]));
                }
            }
        }
        return y;
    }

    /** {@code W x + b} with W stored row-major as (out, in). */
    private static float[] dense(float[] x, float[] weight, float[] bias, int out) {
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float s = bias[o];
            for (int i = 0; i < x.length; i++) {
                s += weight[o * x.length + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }
}
