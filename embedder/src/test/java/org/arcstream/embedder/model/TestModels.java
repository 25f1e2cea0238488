package org.arcstream.embedder.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.topics.ModelEvent;

/** Model files for the hot-swap tests: real models with changed weights, stored like the model store does. */
public final class TestModels {

    private TestModels() {}

    /**
     * A copy of {@code source} whose float weights are each multiplied by {@code 1 + relativeNoise * g}
     * (g standard normal, seeded): the same architecture, a slightly different embedding space.
     */
    public static Path perturbed(Path source, Path target, long seed, double relativeNoise) throws IOException {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(source)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        }
        Random random = new Random(seed);
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = graph.getInitializer(i);
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
                continue; // shapes and other integer constants stay as they are
            }
            float[] values;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                values = new float[raw.remaining() / 4];
                raw.asFloatBuffer().get(values);
            } else {
                values = new float[t.getFloatDataCount()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = t.getFloatData(k);
                }
            }
            ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                out.putFloat((float) (v * (1 + relativeNoise * random.nextGaussian())));
            }
            out.flip();
            graph.setInitializer(i, t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(out)).build());
        }
        try (OutputStream o = Files.newOutputStream(target)) {
            model.toBuilder().setGraph(graph).build().writeTo(o);
        }
        return target;
    }

    /**
     * Puts a file into a filesystem model store laid out as the trainer's ({@code <root>/<version>/model.onnx}
     * and its {@code model.onnx.sha256}) and returns the event that announces it.
     */
    public static ModelEvent store(Path root, Path file, String parent, Map<String, Double> metrics) throws IOException {
        String sha = Sha256.hex(file);
        Path dir = Files.createDirectories(root.resolve(sha.substring(0, 12)));
        Path stored = dir.resolve("model.onnx");
        Files.copy(file, stored);
        Files.writeString(dir.resolve("model.onnx.sha256"), sha + "  model.onnx\n", StandardCharsets.US_ASCII);
        return ModelEvent.of(sha, parent, stored.toUri().toString(), metrics, System.currentTimeMillis());
    }
}
