package org.arcstream.trainer.experiment;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * A small convolutional embedding network as an ONNX graph: two 3x3 convolutions with ReLU and 2x2
 * max pooling, a hidden fully connected layer with ReLU and a linear embedding layer followed by batch
 * normalization (as in ArcFace's embedding head: it centres the embeddings, so that their directions
 * spread over the sphere from the first steps instead of sharing the sign pattern of the ReLU outputs). Input
 * {@code images} is {@code (N, 1, S, S)}, output {@code embeddings} is {@code (N, D)}; weights are
 * He-initialized from a seed, biases start at zero.
 */
public final class EmbeddingCnn {

    public static final String INPUT = "images";
    public static final String OUTPUT = "embeddings";
    private static final int OPSET = 13;
    private static final int IR_VERSION = 8;
    /** Batch-norm epsilon, ONNX's default. */
    public static final float BN_EPSILON = 1e-5f;

    /**
     * Layer sizes; the image side must be divisible by 4 (two poolings). With {@code convBatchNorm}, batch
     * normalization sits between each convolution and its ReLU.
     */
    public record Architecture(int imageSize, int conv1Channels, int conv2Channels, int hidden, int embeddingDim,
            boolean convBatchNorm) {
        public Architecture {
            if (imageSize <= 0 || imageSize % 4 != 0) {
                throw new IllegalArgumentException("image size must be a positive multiple of 4, got " + imageSize);
            }
            if (conv1Channels <= 0 || conv2Channels <= 0 || hidden <= 0 || embeddingDim <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive: " + conv1Channels + ", " + conv2Channels
                        + ", " + hidden + ", " + embeddingDim);
            }
        }

        /** Without batch normalization after the convolutions. */
        public Architecture(int imageSize, int conv1Channels, int conv2Channels, int hidden, int embeddingDim) {
            this(imageSize, conv1Channels, conv2Channels, hidden, embeddingDim, false);
        }

        /** Fashion-MNIST's 28x28 images with the given embedding size. */
        public static Architecture fashionMnist(int conv1, int conv2, int hidden, int embeddingDim) {
            return new Architecture(28, conv1, conv2, hidden, embeddingDim);
        }

        /** The same layers with or without batch normalization after the convolutions. */
        public Architecture withConvBatchNorm(boolean on) {
            return new Architecture(imageSize, conv1Channels, conv2Channels, hidden, embeddingDim, on);
        }

        /** Inputs of the hidden layer: conv2 channels times the twice-pooled image area. */
        public int flattened() {
            int side = imageSize / 4;
            return conv2Channels * side * side;
        }
    }

    private EmbeddingCnn() {}

    public static ModelProto build(Architecture a, long seed) {
        Random random = new Random(seed);
        GraphProto.Builder g = GraphProto.newBuilder().setName("arcstream_embedding_cnn");
        g.addInput(tensor(INPUT, "N", 1, a.imageSize(), a.imageSize()));
        g.addOutput(tensor(OUTPUT, "N", a.embeddingDim()));

        g.addInitializer(heNormal("conv1.weight", random, 9, a.conv1Channels(), 1, 3, 3));
        g.addInitializer(zeros("conv1.bias", a.conv1Channels()));
        g.addInitializer(heNormal("conv2.weight", random, 9L * a.conv1Channels(), a.conv2Channels(), a.conv1Channels(), 3, 3));
        g.addInitializer(zeros("conv2.bias", a.conv2Channels()));
        g.addInitializer(heNormal("fc.weight", random, a.flattened(), a.hidden(), a.flattened()));
        g.addInitializer(zeros("fc.bias", a.hidden()));
        // the embedding layer has no ReLU after it, so a unit-variance (Xavier-like) start suits it better than He
        g.addInitializer(normal("embedding.weight", random, Math.sqrt(1.0 / a.hidden()), a.embeddingDim(), a.hidden()));
        g.addInitializer(zeros("embedding.bias", a.embeddingDim()));
        batchNormInitializers(g, "bn", a.embeddingDim());

        g.addNode(conv("conv1", INPUT, "conv1.weight", "conv1.bias", "conv1.out"));
        g.addNode(node("Relu", "relu1", convNorm(g, a, "conv1", a.conv1Channels()), "relu1.out"));
        g.addNode(maxPool("pool1", "relu1.out", "pool1.out"));
        g.addNode(conv("conv2", "pool1.out", "conv2.weight", "conv2.bias", "conv2.out"));
        g.addNode(node("Relu", "relu2", convNorm(g, a, "conv2", a.conv2Channels()), "relu2.out"));
        g.addNode(maxPool("pool2", "relu2.out", "pool2.out"));
        g.addNode(node("Flatten", "flatten", "pool2.out", "flat.out").toBuilder().addAttribute(integer("axis", 1)));
        g.addNode(gemm("fc", "flat.out", "fc.weight", "fc.bias", "fc.out"));
        g.addNode(node("Relu", "relu3", "fc.out", "relu3.out"));
        g.addNode(gemm("embedding", "relu3.out", "embedding.weight", "embedding.bias", "embedding.out"));
        g.addNode(batchNorm("bn", "embedding.out", OUTPUT));

        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("arcstream")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g)
                .build();
    }

    /** The output of convolution {@code name}, batch-normalized first when the architecture asks for it. */
    private static String convNorm(GraphProto.Builder g, Architecture a, String name, int channels) {
        if (!a.convBatchNorm()) {
            return name + ".out";
        }
        batchNormInitializers(g, name + ".bn", channels);
        g.addNode(batchNorm(name + ".bn", name + ".out", name + ".bn.out"));
        return name + ".bn.out";
    }

    /** Scale 1, shift 0, running mean 0 and variance 1. */
    private static void batchNormInitializers(GraphProto.Builder g, String name, int channels) {
        g.addInitializer(ones(name + ".scale", channels));
        g.addInitializer(zeros(name + ".bias", channels));
        g.addInitializer(zeros(name + ".mean", channels));
        g.addInitializer(ones(name + ".var", channels));
    }

    private static NodeProto batchNorm(String name, String input, String output) {
        return NodeProto.newBuilder().setOpType("BatchNormalization").setName(name)
                .addInput(input).addInput(name + ".scale").addInput(name + ".bias").addInput(name + ".mean").addInput(name + ".var")
                .addOutput(output)
                .addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(BN_EPSILON))
                .addAttribute(AttributeProto.newBuilder().setName("momentum").setType(AttributeProto.AttributeType.FLOAT).setF(0.9f))
                .build();
    }

    private static NodeProto conv(String name, String input, String weight, String bias, String output) {
        return NodeProto.newBuilder().setOpType("Conv").setName(name)
                .addInput(input).addInput(weight).addInput(bias).addOutput(output)
                .addAttribute(ints("kernel_shape", 3, 3))
                .addAttribute(ints("pads", 1, 1, 1, 1))
                .addAttribute(ints("strides", 1, 1))
                .build();
    }

    private static NodeProto maxPool(String name, String input, String output) {
        return NodeProto.newBuilder().setOpType("MaxPool").setName(name).addInput(input).addOutput(output)
                .addAttribute(ints("kernel_shape", 2, 2))
                .addAttribute(ints("strides", 2, 2))
                .build();
    }

    /** {@code Y = X W^T + b} with W stored as (out, in), as a framework's linear layer keeps it. */
    private static NodeProto gemm(String name, String input, String weight, String bias, String output) {
        return NodeProto.newBuilder().setOpType("Gemm").setName(name)
                .addInput(input).addInput(weight).addInput(bias).addOutput(output)
                .addAttribute(integer("transB", 1))
                .build();
    }

    private static NodeProto node(String op, String name, String input, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addInput(input).addOutput(output).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static ValueInfoProto tensor(String name, String batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static TensorProto heNormal(String name, Random random, long fanIn, long... dims) {
        return normal(name, random, Math.sqrt(2.0 / fanIn), dims);
    }

    private static TensorProto normal(String name, Random random, double std, long... dims) {
        float[] values = new float[count(dims)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return floats(name, values, dims);
    }

    private static TensorProto zeros(String name, long... dims) {
        return floats(name, new float[count(dims)], dims);
    }

    private static TensorProto ones(String name, long... dims) {
        float[] values = new float[count(dims)];
        Arrays.fill(values, 1f);
        return floats(name, values, dims);
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static int count(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
