package org.arcstream.trainer.graph;

import static org.arcstream.trainer.graph.OnnxRuntimeReference.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.arcstream.trainer.optim.Optimizer;
import org.arcstream.trainer.optim.Sgd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A small hand-built graph with the operators fr_feature does not use (asymmetric-pad Conv, BatchNormalization,
 * Relu, MaxPool, AveragePool, Sigmoid, Mul, GlobalAveragePool, Flatten, Gemm, Dropout, MatMul, Reshape),
 * checked against ONNX Runtime.
 */
class SmallGraphTest {

    private static final long[] INPUT = {2, 3, 9, 9};
    private final Random random = new Random(3);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private TensorProto floats(String name, long... dims) {
        int n = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        Arrays.stream(dims).forEach(t::addDims);
        for (int i = 0; i < n; i++) {
            t.addFloatData((float) random.nextGaussian() * 0.5f);
        }
        return t.build();
    }

    private static TensorProto positive(TensorProto t) {
        TensorProto.Builder b = t.toBuilder().clearFloatData();
        t.getFloatDataList().forEach(v -> b.addFloatData(Math.abs(v) + 0.5f));
        return b.build();
    }

    private static NodeProto node(String op, List<String> in, String out, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(op + "_" + out).addAllInput(in).addOutput(out)
                .addAllAttribute(Arrays.asList(attributes)).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        Arrays.stream(values).forEach(a::addInts);
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        Arrays.stream(dims).forEach(d -> shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private ModelProto model() {
        GraphProto graph = GraphProto.newBuilder().setName("small")
                .addInput(value("x", INPUT))
                .addOutput(value("y", 2, 3))
                .addInitializer(floats("conv.w", 4, 3, 3, 3))
                .addInitializer(floats("conv.b", 4))
                .addInitializer(floats("bn.scale", 4))
                .addInitializer(floats("bn.bias", 4))
                .addInitializer(floats("bn.mean", 4))
                .addInitializer(positive(floats("bn.var", 4)))
                .addInitializer(floats("prelu.slope", 5))
                .addInitializer(floats("gemm.w", 5, 4))
                .addInitializer(floats("gemm.b", 5))
                .addInitializer(floats("matmul.w", 5, 3))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(2).addInt64Data(0).addInt64Data(-1))
                .addNode(node("Conv", List.of("x", "conv.w", "conv.b"), "c", ints("pads", 1, 0, 0, 1), ints("kernel_shape", 3, 3)))
                .addNode(node("BatchNormalization", List.of("c", "bn.scale", "bn.bias", "bn.mean", "bn.var"), "bn", real("epsilon", 1e-3f), real("momentum", 0.8f)))
                .addNode(node("Relu", List.of("bn"), "r"))
                .addNode(node("MaxPool", List.of("r"), "mp", ints("kernel_shape", 2, 2), ints("strides", 2, 2)))
                .addNode(node("AveragePool", List.of("r"), "ap", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1), integer("count_include_pad", 0)))
                .addNode(node("Sigmoid", List.of("ap"), "s"))
                .addNode(node("Mul", List.of("mp", "s"), "m"))
                .addNode(node("Add", List.of("m", "ap"), "a"))
                .addNode(node("GlobalAveragePool", List.of("a"), "g"))
                .addNode(node("Flatten", List.of("g"), "f", integer("axis", 1)))
                .addNode(node("Gemm", List.of("f", "gemm.w", "gemm.b"), "gm", integer("transB", 1), real("alpha", 0.5f), real("beta", 2f)))
                .addNode(node("PRelu", List.of("gm", "prelu.slope"), "p"))
                .addNode(node("Dropout", List.of("p"), "d", real("ratio", 0.3f)))
                .addNode(node("MatMul", List.of("d", "matmul.w"), "mm"))
                .addNode(node("Reshape", List.of("mm", "shape"), "y"))
                .build();
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("arcstream-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(11)).setGraph(graph).build();
    }

    private float[] input() {
        float[] x = new float[2 * 3 * 9 * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private float[] run(TrainableOnnxModel model, float[] x, boolean training) {
        try (NDManager step = manager.newSubManager()) {
            return model.forward(step.create(x, new Shape(INPUT)), training).toFloatArray();
        }
    }

    /** Every prefix of the graph, cut after each node, so that a mismatch names its operator. */
    @Test
    void eachOperatorMatchesOnnxRuntime() {
        ModelProto proto = model();
        float[] x = input();
        for (int k = 0; k < proto.getGraph().getNodeCount(); k++) {
            NodeProto last = proto.getGraph().getNode(k);
            ValueInfoProto output = ValueInfoProto.newBuilder().setName(last.getOutput(0)).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))).build();
            GraphProto.Builder graph = proto.getGraph().toBuilder().clearOutput().addOutput(output);
            while (graph.getNodeCount() > k + 1) {
                graph.removeNode(graph.getNodeCount() - 1);
            }
            ModelProto cut = proto.toBuilder().setGraph(graph).build();
            try (TrainableOnnxModel model = TrainableOnnxModel.of(cut, manager)) {
                float[] ours = run(model, x, false);
                float[] reference = OnnxRuntimeReference.run(cut, x, INPUT);
                assertTrue(maxAbsDiff(ours, reference) <= 1e-5, last.getOpType() + ": max abs difference " + maxAbsDiff(ours, reference));
            }
        }
    }

    @Test
    void everyWeightGetsAGradientAndRunningStatisticsAreNotParameters() {
        try (TrainableOnnxModel model = TrainableOnnxModel.of(model(), manager); NDManager step = manager.newSubManager()) {
            List<String> names = model.parameters().stream().map(Pair::getKey).toList();
            assertEquals(List.of("conv.w", "conv.b", "bn.scale", "bn.bias", "gemm.w", "gemm.b", "prelu.slope", "matmul.w"), names);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(model.forward(step.create(input(), new Shape(INPUT)), true).square().sum());
            }
            for (Pair<String, NDArray> p : model.trainableParameters()) {
                assertTrue(p.getValue().getGradient().abs().sum().getFloat() > 0, p.getKey() + " got no gradient");
            }
        }
    }

    @Test
    void onlyThePyTorchEngineTrains() {
        try (NDManager onnxRuntime = Engine.getEngine("OnnxRuntime").newBaseManager()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TrainableOnnxModel.of(model(), onnxRuntime));
            assertTrue(e.getMessage().contains("PyTorch"), e.getMessage());
        }
    }

    @Test
    void trainingStepsLeaveNoArraysBehind() {
        try (TrainableOnnxModel model = TrainableOnnxModel.of(model(), manager);
                Optimizer sgd = new Sgd(model.trainableParameters(), 0.01f, 0.9f, 1e-4f)) {
            float[] x = input();
            int[] live = new int[4];
            for (int i = 0; i < live.length; i++) {
                try (NDManager step = manager.newSubManager()) {
                    sgd.zeroGradients();
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        collector.backward(model.forward(step.create(x, new Shape(INPUT)), true).square().sum());
                    }
                    sgd.step();
                }
                live[i] = manager.getManagedArrays().size();
            }
            // the first step creates the momentum buffers; later steps must not grow the model's memory
            assertEquals(live[1], live[3], "arrays alive after each step: " + Arrays.toString(live));
        }
    }

    @Test
    void trainingModeUpdatesRunningStatisticsAndTheExportCarriesThem() {
        ModelProto proto = model();
        float[] x = input();
        try (TrainableOnnxModel model = TrainableOnnxModel.of(proto, manager)) {
            float[] before = run(model, x, false);
            float[] train1 = run(model, x, true);
            float[] train2 = run(model, x, true);
            assertFalse(Arrays.equals(train1, train2), "dropout is active in training");
            float[] after = run(model, x, false);
            assertArrayEquals(after, run(model, x, false), "inference is deterministic");
            assertTrue(maxAbsDiff(before, after) > 1e-4, "running statistics did not move");

            ModelProto exported = model.export();
            TensorProto mean = exported.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("bn.mean")).findFirst().orElseThrow();
            assertFalse(Arrays.equals(OnnxTensorsAccess.floats(proto.getGraph().getInitializer(4)), OnnxTensorsAccess.floats(mean)));
            float[] reference = OnnxRuntimeReference.run(exported, x, INPUT);
            assertTrue(maxAbsDiff(after, reference) <= 1e-5, "exported vs interpreter " + maxAbsDiff(after, reference));
        }
    }
}
