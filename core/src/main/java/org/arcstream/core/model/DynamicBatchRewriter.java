package org.arcstream.core.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.files.AtomicFiles;

/**
 * Rewrites an ONNX model exported with a fixed batch of 1 so that any batch size runs:
 * the leading dimension of every graph input and output becomes the symbolic {@code batch}, and
 * Reshape targets that hard-code the batch as 1 get -1 there instead.
 */
public final class DynamicBatchRewriter {

    /** Metadata key holding the digest of the model a rewritten file was made from. */
    public static final String SOURCE_DIGEST_KEY = "arcstream.source_sha256";
    private static final String BATCH = "batch";

    private DynamicBatchRewriter() {}

    /** Writes the rewritten model to {@code target} (atomically) and returns it. */
    public static Path rewrite(Path source, Path target) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(source)) {
            model = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot read ONNX model " + source + ": " + e.getMessage(), e);
        }
        ModelProto rewritten = rewrite(model).toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(SOURCE_DIGEST_KEY).setValue(Sha256.hex(source)))
                .build();
        try {
            AtomicFiles.write(target, rewritten::writeTo);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The digest recorded by {@link #rewrite(Path, Path)}, or null when the file has none. */
    public static String sourceDigest(Path rewritten) {
        try (InputStream in = Files.newInputStream(rewritten)) {
            for (StringStringEntryProto p : ModelProto.parseFrom(in).getMetadataPropsList()) {
                if (p.getKey().equals(SOURCE_DIGEST_KEY)) {
                    return p.getValue();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static ModelProto rewrite(ModelProto model) {
        GraphProto graph = model.getGraph();
        Map<String, ValueInfoProto> known = new HashMap<>();
        graph.getOutputList().forEach(v -> known.put(v.getName(), v));
        graph.getValueInfoList().forEach(v -> known.put(v.getName(), v));

        GraphProto.Builder g = graph.toBuilder();
        for (int i = 0; i < g.getInputCount(); i++) {
            g.setInput(i, withSymbolicBatch(g.getInput(i)));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, withSymbolicBatch(g.getOutput(i)));
        }
        Map<String, Integer> initializerIndex = new HashMap<>();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            initializerIndex.put(g.getInitializer(i).getName(), i);
        }
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("Reshape") || node.getInputCount() < 2) {
                continue;
            }
            Integer index = initializerIndex.get(node.getInput(1));
            if (index == null) {
                continue;
            }
            long[] shape = int64s(g.getInitializer(index));
            if (shape.length == 0 || shape[0] != 1) {
                continue;
            }
            g.setInitializer(index, int64Tensor(g.getInitializer(index), batchFree(shape, known.get(node.getOutput(0)), node)));
        }
        // intermediate shapes recorded for batch 1 would contradict other batch sizes; ONNX Runtime re-infers them
        g.clearValueInfo();
        return model.toBuilder().setGraph(g).build();
    }

    /**
     * Replaces the fixed batch of a Reshape target by -1; a -1 elsewhere (there may be only one)
     * is resolved from the recorded shape of the Reshape's output.
     */
    private static long[] batchFree(long[] shape, ValueInfoProto output, NodeProto node) {
        long[] out = shape.clone();
        out[0] = -1;
        for (int d = 1; d < out.length; d++) {
            if (out[d] == -1) {
                long known = output == null ? 0 : staticDim(output, d);
                if (known <= 0) {
                    throw new ModelUnavailableException("cannot make the batch dynamic: Reshape '" + node.getName()
                            + "' infers dimension " + d + " and the size of its output is not recorded in the model");
                }
                out[d] = known;
            }
        }
        return out;
    }

    private static long staticDim(ValueInfoProto value, int d) {
        TensorShapeProto shape = value.getType().getTensorType().getShape();
        if (d >= shape.getDimCount() || !shape.getDim(d).hasDimValue()) {
            return 0;
        }
        return shape.getDim(d).getDimValue();
    }

    private static ValueInfoProto withSymbolicBatch(ValueInfoProto value) {
        if (!value.getType().hasTensorType() || value.getType().getTensorType().getShape().getDimCount() == 0) {
            return value;
        }
        ValueInfoProto.Builder b = value.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).clearDimValue().setDimParam(BATCH);
        return b.build();
    }

    private static long[] int64s(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.INT64.getNumber()) {
            return new long[0];
        }
        if (t.getInt64DataCount() > 0) {
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[raw.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw.getLong();
        }
        return out;
    }

    private static TensorProto int64Tensor(TensorProto original, long[] values) {
        List<Long> boxed = new ArrayList<>(values.length);
        for (long v : values) {
            boxed.add(v);
        }
        return original.toBuilder().clearRawData().clearInt64Data().addAllInt64Data(boxed).build();
    }
}
