package org.arcstream.embedder.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A real ONNX embedding model small enough to embed tens of thousands of crops in seconds: the crop
 * {@code (N, 3, S, S)} flattened and multiplied by a seeded random matrix, {@code (N, D)}. Its embeddings
 * mean nothing; it stands in for the face model where the subject is moving samples, not recognizing faces.
 */
final class TinyEmbeddingModel {

    private TinyEmbeddingModel() {}

    static Path write(Path file, int cropSize, int dimension, long seed) throws IOException {
        int inputs = 3 * cropSize * cropSize;
        ByteBuffer weights = ByteBuffer.allocate(inputs * dimension * 4).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(seed);
        for (int i = 0; i < inputs * dimension; i++) {
            weights.putFloat((float) random.nextGaussian());
        }
        weights.flip();
        OnnxMl.TensorProto w = OnnxMl.TensorProto.newBuilder().setName("w").addDims(inputs).addDims(dimension)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(weights)).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("tiny-embedding")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Flatten").addInput("x").addOutput("flat")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("flat").addInput("w").addOutput("y"))
                .addInitializer(w)
                .addInput(value("x", "N", 3, cropSize, cropSize))
                .addOutput(value("y", "N", dimension)).build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7).setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build();
        Files.write(file, model.toByteArray());
        return file;
    }

    private static OnnxMl.ValueInfoProto value(String name, String batch, int... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }
}
