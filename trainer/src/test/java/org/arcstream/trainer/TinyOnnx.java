package org.arcstream.trainer;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a minimal valid ONNX model (y = x + bias) whose bytes depend on the bias. */
public final class TinyOnnx {

    private TinyOnnx() {}

    public static Path write(Path file, float bias) throws IOException {
        OnnxMl.TensorProto b = OnnxMl.TensorProto.newBuilder().setName("bias").addDims(1)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(bias).build();
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1)))).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("tiny")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("bias").addOutput("y"))
                .addInitializer(b)
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type)).build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7).setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).build();
        Files.write(file, model.toByteArray());
        return file;
    }
}
