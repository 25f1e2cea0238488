package org.arcstream.trainer.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The ONNX operators the interpreter runs, each as differentiable NDArray operations. */
final class GraphOps {

    /** What an operator needs from the running graph. */
    interface Context {
        /** Moves a temporary computed from model-owned arrays into the forward pass's manager. */
        NDArray local(NDArray array);

        /** Replaces a non-trainable state tensor (batch-norm running statistics). */
        void updateState(String name, NDArray value);
    }

    /** Attributes each operator may carry; anything else is rejected when the model loads. */
    private static final Map<String, Set<String>> ATTRIBUTES = Map.ofEntries(
            Map.entry("Conv", Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")),
            Map.entry("PRelu", Set.of()),
            Map.entry("Relu", Set.of()),
            Map.entry("Sigmoid", Set.of()),
            Map.entry("Add", Set.of()),
            Map.entry("Sub", Set.of()),
            Map.entry("Mul", Set.of()),
            Map.entry("Div", Set.of()),
            Map.entry("Reshape", Set.of("shape", "allowzero")),
            Map.entry("Flatten", Set.of("axis")),
            Map.entry("Gemm", Set.of("alpha", "beta", "transA", "transB")),
            Map.entry("MatMul", Set.of()),
            Map.entry("BatchNormalization", Set.of("epsilon", "momentum", "spatial", "training_mode")),
            Map.entry("MaxPool", Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides")),
            Map.entry("AveragePool", Set.of("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides")),
            Map.entry("GlobalAveragePool", Set.of()),
            Map.entry("Dropout", Set.of("ratio", "seed")),
            Map.entry("Identity", Set.of()),
            Map.entry("Constant", Set.of("value")),
            Map.entry("Concat", Set.of("axis")),
            Map.entry("Transpose", Set.of("perm")));

    /** Inputs that are state or settings, never trained, even when they are float initializers. */
    private static final Map<String, Set<Integer>> UNTRAINED_INPUTS = Map.of(
            "BatchNormalization", Set.of(3, 4),
            "Dropout", Set.of(1, 2));

    private GraphOps() {}

    static Set<String> supported() {
        return new TreeSet<>(ATTRIBUTES.keySet());
    }

    /** Fails on an operator or attribute the interpreter does not know, naming the node. */
    static void check(NodeProto node) {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            throw UnsupportedModelException.forNode(node, "operator domain '" + node.getDomain() + "' is not supported");
        }
        Set<String> allowed = ATTRIBUTES.get(node.getOpType());
        if (allowed == null) {
            throw UnsupportedModelException.forNode(node, "operator " + node.getOpType() + " is not supported; supported: " + supported());
        }
        node.getAttributeList().forEach(a -> {
            if (!allowed.contains(a.getName())) {
                throw UnsupportedModelException.forNode(node, "attribute '" + a.getName() + "' is not supported");
            }
        });
        // secondary outputs (max-pool indices, dropout mask, batch-norm statistics) are not computed
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                throw UnsupportedModelException.forNode(node, "output " + i + " ('" + node.getOutput(i) + "') is not supported");
            }
        }
    }

    /** Whether input {@code index} of {@code node} is a trainable weight slot (as opposed to state or settings). */
    static boolean trainableInput(NodeProto node, int index) {
        return !UNTRAINED_INPUTS.getOrDefault(node.getOpType(), Set.of()).contains(index);
    }

    /** Runs one node; absent optional inputs are {@code null}. */
    static NDArray run(NodeProto node, List<NDArray> in, boolean training, Context context) {
        NodeAttributes a = new NodeAttributes(node);
        switch (node.getOpType()) {
            case "Conv":
                return conv(node, a, in);
            case "PRelu": {
                NDArray x = in.get(0);
                // DJL's Prelu.prelu is not implemented on the PyTorch engine
                return x.maximum(0).add(x.minimum(0).mul(in.get(1)));
            }
            case "Relu":
                return Activation.relu(in.get(0));
            case "Sigmoid":
                return Activation.sigmoid(in.get(0));
            case "Add":
                return in.get(0).add(in.get(1));
            case "Sub":
                return in.get(0).sub(in.get(1));
            case "Mul":
                return in.get(0).mul(in.get(1));
            case "Div":
                return in.get(0).div(in.get(1));
            case "Reshape":
                return reshape(node, a, in);
            case "Flatten": {
                NDArray x = in.get(0);
                int rank = x.getShape().dimension();
                int axis = (int) a.integer("axis", 1);
                axis = axis < 0 ? axis + rank : axis;
                if (axis < 0 || axis > rank) {
                    throw UnsupportedModelException.forNode(node, "axis " + a.integer("axis", 1) + " outside rank " + rank);
                }
                long outer = x.getShape().slice(0, axis).size();
                return x.reshape(outer, x.getShape().size() / Math.max(outer, 1));
            }
            case "Gemm":
                return gemm(a, in, context);
            case "MatMul":
                return in.get(0).matMul(in.get(1));
            case "BatchNormalization":
                return batchNorm(node, a, in, training, context);
            case "MaxPool":
                return pool(node, a, in.get(0), true);
            case "AveragePool":
                return pool(node, a, in.get(0), false);
            case "GlobalAveragePool": {
                NDArray x = in.get(0);
                int[] axes = new int[x.getShape().dimension() - 2];
                Arrays.setAll(axes, i -> i + 2);
                return mean(x, axes);
            }
            case "Dropout":
                return dropout(a, in, training);
            case "Identity":
                return in.get(0);
            case "Concat": {
                NDList parts = new NDList();
                in.forEach(parts::add);
                return NDArrays.concat(parts, (int) a.integer("axis", 0));
            }
            case "Transpose": {
                NDArray x = in.get(0);
                if (!a.has("perm")) {
                    return x.transpose();
                }
                return x.transpose(Arrays.stream(a.integers("perm", null)).mapToInt(Math::toIntExact).toArray());
            }
            default:
                throw UnsupportedModelException.forNode(node, "operator " + node.getOpType() + " is not supported; supported: " + supported());
        }
    }

    private static NDArray conv(NodeProto node, NodeAttributes a, List<NDArray> in) {
        NDArray x = in.get(0);
        NDArray w = in.get(1);
        NDArray b = in.size() > 2 ? in.get(2) : null;
        if (x.getShape().dimension() != 4) {
            throw UnsupportedModelException.forNode(node, "only 2-D convolution is supported, input shape " + x.getShape());
        }
        long[] kernel = a.integers("kernel_shape", null);
        if (kernel != null && !Arrays.equals(kernel, w.getShape().slice(2).getShape())) {
            throw UnsupportedModelException.forNode(node, "kernel_shape " + Arrays.toString(kernel) + " disagrees with weight shape " + w.getShape());
        }
        long[] pads = pads(node, a);
        Shape padding = symmetric(pads) ? new Shape(pads[0], pads[1]) : new Shape(0, 0);
        NDArray padded = symmetric(pads) ? x : x.pad(new Shape(pads[1], pads[3], pads[0], pads[2]), 0);
        return Conv2d.conv2d(padded, w, b,
                        new Shape(a.integers("strides", new long[] {1, 1})),
                        padding,
                        new Shape(a.integers("dilations", new long[] {1, 1})),
                        (int) a.integer("group", 1))
                .singletonOrThrow();
    }

    private static NDArray pool(NodeProto node, NodeAttributes a, NDArray x, boolean max) {
        if (x.getShape().dimension() != 4) {
            throw UnsupportedModelException.forNode(node, "only 2-D pooling is supported, input shape " + x.getShape());
        }
        long[] kernel = a.integers("kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw UnsupportedModelException.forNode(node, "kernel_shape of two values is required");
        }
        long[] dilations = a.integers("dilations", new long[] {1, 1});
        if (Arrays.stream(dilations).anyMatch(d -> d != 1)) {
            throw UnsupportedModelException.forNode(node, "dilated pooling is not supported");
        }
        if (a.integer("storage_order", 0) != 0) {
            throw UnsupportedModelException.forNode(node, "storage_order 1 is not supported");
        }
        long[] pads = pads(node, a);
        boolean ceil = a.integer("ceil_mode", 0) != 0;
        Shape kernelShape = new Shape(kernel);
        Shape stride = new Shape(a.integers("strides", new long[] {1, 1}));
        boolean countPad = a.integer("count_include_pad", 0) != 0;
        NDArray input = x;
        Shape padding = new Shape(pads[0], pads[1]);
        if (!symmetric(pads)) {
            if (!max && !countPad) {
                throw UnsupportedModelException.forNode(node, "asymmetric pads with count_include_pad = 0 are not supported");
            }
            input = x.pad(new Shape(pads[1], pads[3], pads[0], pads[2]), max ? Double.NEGATIVE_INFINITY : 0);
            padding = new Shape(0, 0);
        }
        if (max) {
            return Pool.maxPool2d(input, kernelShape, stride, padding, ceil);
        }
        NDArray sumOverArea = Pool.avgPool2d(input, kernelShape, stride, padding, ceil, true);
        if (countPad || (padding.get(0) == 0 && padding.get(1) == 0 && !ceil)) {
            return sumOverArea;
        }
        // the PyTorch engine ignores count_include_pad = false; divide by the share of real cells per window instead
        Shape plane = new Shape(1, 1, input.getShape().get(2), input.getShape().get(3));
        try (NDArray ones = input.getManager().ones(plane, input.getDataType(), input.getDevice());
                NDArray share = Pool.avgPool2d(ones, kernelShape, stride, padding, ceil, true)) {
            return sumOverArea.div(share);
        }
    }

    /** Pads as [top, left, bottom, right]; auto_pad other than NOTSET/VALID is refused. */
    private static long[] pads(NodeProto node, NodeAttributes a) {
        String autoPad = a.string("auto_pad", "NOTSET");
        if (autoPad.equals("VALID")) {
            return new long[4];
        }
        if (!autoPad.equals("NOTSET")) {
            throw UnsupportedModelException.forNode(node, "auto_pad " + autoPad + " is not supported; use explicit pads");
        }
        long[] pads = a.integers("pads", new long[4]);
        if (pads.length != 4) {
            throw UnsupportedModelException.forNode(node, "pads must have 4 values, got " + Arrays.toString(pads));
        }
        return pads;
    }

    private static boolean symmetric(long[] pads) {
        return pads[0] == pads[2] && pads[1] == pads[3];
    }

    private static NDArray reshape(NodeProto node, NodeAttributes a, List<NDArray> in) {
        NDArray x = in.get(0);
        long[] target = in.size() > 1 && in.get(1) != null ? in.get(1).toLongArray() : a.integers("shape", null);
        if (target == null) {
            throw UnsupportedModelException.forNode(node, "no target shape (neither a second input nor a 'shape' attribute)");
        }
        long[] shape = target.clone();
        boolean allowZero = a.integer("allowzero", 0) != 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0 && !allowZero) {
                if (i >= x.getShape().dimension()) {
                    throw UnsupportedModelException.forNode(node, "shape " + Arrays.toString(target) + " copies dimension " + i + " of " + x.getShape());
                }
                shape[i] = x.getShape().get(i);
            }
        }
        try {
            return x.reshape(shape);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ONNX node '" + node.getName() + "' (Reshape): cannot reshape " + x.getShape()
                    + " to " + Arrays.toString(target) + ": " + e.getMessage(), e);
        }
    }

    private static NDArray gemm(NodeAttributes a, List<NDArray> in, Context context) {
        NDArray x = in.get(0);
        NDArray w = in.get(1);
        NDArray left = a.integer("transA", 0) != 0 ? x.transpose() : x;
        NDArray right = a.integer("transB", 0) != 0 ? context.local(w.transpose()) : w;
        NDArray y = left.matMul(right);
        float alpha = a.real("alpha", 1f);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (in.size() > 2 && in.get(2) != null) {
            float beta = a.real("beta", 1f);
            y = y.add(beta == 1f ? in.get(2) : context.local(in.get(2).mul(beta)));
        }
        return y;
    }

    private static NDArray batchNorm(NodeProto node, NodeAttributes a, List<NDArray> in, boolean training, Context context) {
        if (a.integer("spatial", 1) != 1) {
            throw UnsupportedModelException.forNode(node, "spatial = 0 is not supported");
        }
        NDArray x = in.get(0);
        int rank = x.getShape().dimension();
        long channels = x.getShape().get(1);
        long[] perChannel = new long[rank];
        Arrays.fill(perChannel, 1);
        perChannel[1] = channels;
        float epsilon = a.real("epsilon", 1e-5f);
        NDArray scale = context.local(in.get(1).reshape(perChannel));
        NDArray bias = context.local(in.get(2).reshape(perChannel));
        NDArray mean;
        NDArray variance;
        if (training) {
            int[] axes = new int[rank - 1];
            axes[0] = 0;
            for (int i = 2; i < rank; i++) {
                axes[i - 1] = i;
            }
            mean = mean(x, axes);
            variance = mean(x.sub(mean).square(), axes);
            // ONNX convention: running = running * momentum + batch * (1 - momentum), outside the autograd graph
            float momentum = a.real("momentum", 0.9f);
            context.updateState(node.getInput(3), blend(in.get(3), mean.stopGradient().reshape(channels), momentum));
            context.updateState(node.getInput(4), blend(in.get(4), variance.stopGradient().reshape(channels), momentum));
        } else {
            mean = context.local(in.get(3).reshape(perChannel));
            variance = context.local(in.get(4).reshape(perChannel));
        }
        return x.sub(mean).div(variance.add(epsilon).sqrt()).mul(scale).add(bias);
    }

    /** Mean over several axes, kept as size 1; the PyTorch engine's mean reduces one axis at a time. */
    private static NDArray mean(NDArray x, int[] axes) {
        NDArray out = x;
        for (int i = axes.length - 1; i >= 0; i--) {
            out = out.mean(new int[] {axes[i]}, true);
        }
        return out;
    }

    private static NDArray blend(NDArray running, NDArray batch, float momentum) {
        try (NDArray kept = running.mul(momentum); NDArray added = batch.mul(1 - momentum)) {
            return kept.add(added);
        }
    }

    private static NDArray dropout(NodeAttributes a, List<NDArray> in, boolean training) {
        NDArray x = in.get(0);
        float ratio = in.size() > 1 && in.get(1) != null ? in.get(1).toFloatArray()[0] : a.real("ratio", 0.5f);
        if (!training || ratio == 0f) {
            return x;
        }
        return Dropout.dropout(x, ratio, true).singletonOrThrow();
    }
}
