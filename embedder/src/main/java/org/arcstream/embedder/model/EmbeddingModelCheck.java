package org.arcstream.embedder.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.arcstream.core.runtime.OnnxModels;

/**
 * Tells whether an ONNX file is an embedding model this pipeline can use: it loads in ONNX Runtime,
 * takes one float input {@code (N, 3, S, S)} for the configured crop size S, gives a float output
 * {@code (N, D)}, and a trial run on two crops gives two finite, non-zero embeddings of length D.
 */
final class EmbeddingModelCheck {

    private final int cropSize;

    EmbeddingModelCheck(int cropSize) {
        this.cropSize = cropSize;
    }

    /** The embedding length D; refused with the reason when the model does not qualify. */
    int check(Path file) {
        OrtEnvironment env = OnnxModels.environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(file.toString(), options)) {
            if (session.getInputInfo().size() != 1) {
                throw new ModelRefusedException("an embedding model takes one input, this one takes " + session.getInputInfo().size());
            }
            NodeInfo input = session.getInputInfo().values().iterator().next();
            long[] in = floatShape(input, "input");
            boolean shapeOk = in.length == 4 && in[1] == 3 && in[2] == cropSize && in[3] == cropSize && (in[0] < 0 || in[0] == 1);
            if (!shapeOk) {
                throw new ModelRefusedException("input '" + input.getName() + "' must be (N, 3, " + cropSize + ", " + cropSize
                        + ") for the configured crop size, got " + Arrays.toString(in));
            }
            NodeInfo output = session.getOutputInfo().values().iterator().next();
            long[] out = floatShape(output, "output");
            if (out.length != 2) {
                throw new ModelRefusedException("output '" + output.getName() + "' must be (N, D), got " + Arrays.toString(out));
            }
            int batch = in[0] < 0 ? 2 : 1;
            float[] crops = new float[batch * 3 * cropSize * cropSize];
            for (int i = 0; i < crops.length; i++) {
                crops[i] = ((i * 31) % 255 - 127) / 128f; // a deterministic texture, not all zeros
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(crops), new long[] {batch, 3, cropSize, cropSize});
                    OrtSession.Result result = session.run(Map.of(input.getName(), tensor))) {
                OnnxValue value = result.get(0);
                if (!(value instanceof OnnxTensor t) || t.getInfo().getShape().length != 2 || t.getInfo().getShape()[0] != batch) {
                    throw new ModelRefusedException("a trial run on " + batch + " crops did not give (" + batch + ", D) but "
                            + (value instanceof OnnxTensor t2 ? Arrays.toString(t2.getInfo().getShape()) : value.getType()));
                }
                long dimension = t.getInfo().getShape()[1];
                if (dimension < 1 || (out[1] > 0 && out[1] != dimension)) {
                    throw new ModelRefusedException("embedding length " + dimension + " does not match the declared output " + Arrays.toString(out));
                }
                float[] values = t.getFloatBuffer().array();
                for (int n = 0; n < batch; n++) {
                    double norm = 0;
                    for (int k = 0; k < dimension; k++) {
                        float v = values[(int) (n * dimension + k)];
                        if (!Float.isFinite(v)) {
                            throw new ModelRefusedException("a trial run gave a non-finite embedding value");
                        }
                        norm += v * v;
                    }
                    if (norm == 0) {
                        throw new ModelRefusedException("a trial run gave an all-zero embedding");
                    }
                }
                return (int) dimension;
            }
        } catch (OrtException e) {
            throw new ModelRefusedException("ONNX Runtime cannot load or run " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static long[] floatShape(NodeInfo node, String what) {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new ModelRefusedException(what + " '" + node.getName() + "' is not a float tensor: " + node.getInfo());
        }
        return tensor.getShape();
    }
}
