package org.arcstream.trainer.domainshift;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.files.AtomicFiles;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;

/**
 * The no-training baseline of domain adaptation: a camera's mean embedding is subtracted from every
 * embedding. Written as an ONNX model (the original graph, then L2-normalize, then minus the mean; cosine
 * scoring normalizes again), so that it is evaluated exactly as the fine-tuned model is and could be
 * deployed for that camera as it stands.
 */
public final class MeanEmbeddingModel {

    private static final String SUFFIX = ".before_mean_subtraction";

    private MeanEmbeddingModel() {}

    /** The mean of the unit-length embeddings of {@code crops} under {@code model}. */
    public static float[] meanEmbedding(EmbeddingModelSpec model, InferenceOptions inference, List<RgbImage> crops) {
        if (crops.isEmpty()) {
            throw new IllegalArgumentException("the mean embedding needs at least one crop");
        }
        float[] sum = null;
        try (FaceEmbedder embedder = new FaceEmbedder(model, inference, 32, false)) {
            for (float[] v : embedder.embed(crops)) {
                float[] unit = Embeddings.normalize(v);
                if (sum == null) {
                    sum = new float[unit.length];
                }
                for (int k = 0; k < unit.length; k++) {
                    sum[k] += unit[k];
                }
            }
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= crops.size();
        }
        return sum;
    }

    /** Writes {@code model} with its first output replaced by {@code normalize(output) - mean} to {@code target}. */
    public static Path write(Path model, float[] mean, Path target) {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            proto = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        }
        ModelProto subtracted = subtract(proto, mean);
        try {
            AtomicFiles.write(target, subtracted::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return target;
    }

    static ModelProto subtract(ModelProto model, float[] mean) {
        GraphProto graph = model.getGraph();
        String output = graph.getOutput(0).getName();
        String raw = output + SUFFIX, norm = raw + ".norm", unit = raw + ".unit", meanName = raw + ".mean";
        GraphProto.Builder g = graph.toBuilder();
        // the node that produced the output now produces the raw embedding
        for (int n = 0; n < g.getNodeCount(); n++) {
            NodeProto.Builder node = g.getNodeBuilder(n);
            for (int o = 0; o < node.getOutputCount(); o++) {
                if (node.getOutput(o).equals(output)) {
                    node.setOutput(o, raw);
                }
            }
        }
        TensorProto.Builder meanTensor = TensorProto.newBuilder().setName(meanName).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(1).addDims(mean.length);
        for (float v : mean) {
            meanTensor.addFloatData(v);
        }
        g.addInitializer(meanTensor);
        g.addNode(NodeProto.newBuilder().setOpType("ReduceL2").setName("mean_subtraction.l2").addInput(raw).addOutput(norm)
                .addAttribute(AttributeProto.newBuilder().setName("axes").setType(AttributeProto.AttributeType.INTS).addInts(1))
                .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addNode(NodeProto.newBuilder().setOpType("Div").setName("mean_subtraction.normalize").addInput(raw).addInput(norm).addOutput(unit));
        g.addNode(NodeProto.newBuilder().setOpType("Sub").setName("mean_subtraction.subtract").addInput(unit).addInput(meanName).addOutput(output));
        return model.toBuilder().setGraph(g).build();
    }
}
