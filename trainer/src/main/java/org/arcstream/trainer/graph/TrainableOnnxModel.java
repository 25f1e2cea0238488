package org.arcstream.trainer.graph;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcstream.core.files.AtomicFiles;

/**
 * An ONNX graph executed with differentiable DJL operations on the PyTorch engine, so that its float
 * initializers can be trained and written back into the same graph.
 *
 * <p>Parameters are the float initializers that feed a weight slot of some node, in graph order (the order in
 * which nodes first read them). Batch-norm running statistics are state, not parameters: they move only in a
 * training-mode forward pass. Integer initializers (shapes) are constants. The model owns a child of the
 * manager it was created with; arrays of a forward pass belong to the input's manager, so a training step run
 * in a sub-manager frees them when that closes. Not thread-safe.
 */
public final class TrainableOnnxModel implements AutoCloseable {

    private final ModelProto model;
    private final NDManager manager;
    private final ValueInfoProto input;
    private final String outputName;
    private final List<NodeProto> nodes;
    /** Initializers and folded Constant outputs, by name. */
    private final Map<String, NDArray> tensors = new HashMap<>();
    private final Set<NDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Parameter names in graph order. */
    private final List<String> parameters = new ArrayList<>();
    private final Set<String> frozen = new HashSet<>();

    private TrainableOnnxModel(ModelProto model, NDManager parent) {
        this.model = model;
        GraphProto graph = model.getGraph();
        Set<String> initializerNames = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializerNames.add(t.getName()));
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !initializerNames.contains(i.getName())).toList();
        if (inputs.size() != 1 || graph.getOutputCount() < 1) {
            throw new UnsupportedModelException("only graphs with one input and at least one output are supported; inputs "
                    + inputs.stream().map(ValueInfoProto::getName).toList() + ", " + graph.getOutputCount() + " outputs");
        }
        this.input = inputs.get(0);
        this.outputName = graph.getOutput(0).getName();
        this.nodes = List.copyOf(graph.getNodeList());
        nodes.forEach(GraphOps::check);
        this.manager = parent.newSubManager();
        try {
            for (TensorProto t : graph.getInitializerList()) {
                put(t.getName(), OnnxTensors.read(t, manager));
            }
            for (NodeProto node : nodes) {
                if (node.getOpType().equals("Constant")) {
                    put(node.getOutput(0), OnnxTensors.read(new NodeAttributes(node).tensor("value"), manager));
                }
            }
            collectParameters(initializerNames);
            checkWiring();
            parameters.forEach(name -> tensors.get(name).setRequiresGradient(true));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Reads an ONNX file; the model's arrays live on {@code manager}'s device (use a PyTorch-engine manager). */
    public static TrainableOnnxModel load(Path onnx, NDManager manager) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnx);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + onnx + ": " + e.getMessage(), e);
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(onnx + " is not a readable ONNX model: " + e.getMessage(), e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException(onnx + " holds no ONNX graph");
        }
        return of(proto, manager);
    }

    /** Builds the trainable graph from a parsed model; fails on an unsupported operator or attribute, naming the node. */
    public static TrainableOnnxModel of(ModelProto model, NDManager manager) {
        if (!manager.getEngine().getEngineName().equals(TrainingDevice.ENGINE)) {
            throw new IllegalArgumentException("training needs a manager of the " + TrainingDevice.ENGINE + " engine, got "
                    + manager.getEngine().getEngineName() + "; create it with TrainingDevice.newManager(...)");
        }
        return new TrainableOnnxModel(model, manager);
    }

    private void put(String name, NDArray array) {
        tensors.put(name, array);
        owned.add(array);
    }

    private void collectParameters(Set<String> initializerNames) {
        Set<String> seen = new HashSet<>();
        for (NodeProto node : nodes) {
            for (int i = 0; i < node.getInputCount(); i++) {
                String name = node.getInput(i);
                if (initializerNames.contains(name) && GraphOps.trainableInput(node, i)
                        && tensors.get(name).getDataType() == DataType.FLOAT32 && seen.add(name)) {
                    parameters.add(name);
                }
            }
        }
        // an initializer that is state somewhere (running statistics) is never trained
        for (NodeProto node : nodes) {
            for (int i = 0; i < node.getInputCount(); i++) {
                if (!GraphOps.trainableInput(node, i)) {
                    parameters.remove(node.getInput(i));
                }
            }
        }
    }

    /** Every node reads only values an earlier node, the input or an initializer provides. */
    private void checkWiring() {
        Set<String> available = new HashSet<>(tensors.keySet());
        available.add(input.getName());
        for (NodeProto node : nodes) {
            for (String in : node.getInputList()) {
                if (!in.isEmpty() && !available.contains(in)) {
                    throw new UnsupportedModelException("ONNX node '" + node.getName() + "' (op " + node.getOpType()
                            + ") reads '" + in + "', which no earlier node, input or initializer provides");
                }
            }
            available.addAll(node.getOutputList());
        }
        if (!available.contains(outputName)) {
            throw new UnsupportedModelException("graph output '" + outputName + "' is produced by no node");
        }
    }

    /**
     * Runs the graph on an NCHW float input (moved to the model's device if needed). With {@code training},
     * dropout is active and batch norm uses batch statistics and updates its running statistics. Call it inside
     * a {@code GradientCollector} to get gradients of the parameters.
     */
    public NDArray forward(NDArray x, boolean training) {
        checkInput(x);
        Map<String, NDArray> values = new HashMap<>(tensors);
        values.put(input.getName(), onDevice(x));
        run(0, nodes.size(), values, x.getManager(), training);
        NDArray result = values.get(outputName);
        return owned.contains(result) ? result.duplicate() : result;
    }

    /**
     * Where the frozen layers end: nodes before {@code end} read no trainable parameter, so their results for an
     * input never change during training; {@code outputs} are those of their values that later nodes read.
     */
    public record Prefix(int end, List<String> outputs) {}

    /**
     * The frozen prefix of the graph under the current freezing, or null when there is none worth keeping (the
     * first node already trains) or when it would not give the same values in a training pass (batch norm and
     * dropout behave differently there).
     */
    public Prefix frozenPrefix() {
        Set<String> trainable = new HashSet<>();
        trainableParameters().forEach(p -> trainable.add(p.getKey()));
        int end = -1;
        for (int i = 0; i < nodes.size() && end < 0; i++) {
            if (nodes.get(i).getInputList().stream().anyMatch(trainable::contains)) {
                end = i;
            }
        }
        if (end <= 0) {
            return null;
        }
        Set<String> produced = new HashSet<>();
        produced.add(input.getName());
        for (NodeProto node : nodes.subList(0, end)) {
            if (node.getOpType().equals("BatchNormalization") || node.getOpType().equals("Dropout")) {
                return null;
            }
            if (!node.getOpType().equals("Constant")) {
                produced.addAll(node.getOutputList());
            }
        }
        java.util.LinkedHashSet<String> outputs = new java.util.LinkedHashSet<>();
        for (NodeProto node : nodes.subList(end, nodes.size())) {
            node.getInputList().stream().filter(produced::contains).forEach(outputs::add);
        }
        if (produced.contains(outputName)) {
            outputs.add(outputName);
        }
        return new Prefix(end, List.copyOf(outputs));
    }

    /** Runs the frozen prefix (inference mode) and returns its outputs, by name; they belong to {@code x}'s manager. */
    public Map<String, NDArray> forwardPrefix(Prefix prefix, NDArray x) {
        checkInput(x);
        Map<String, NDArray> values = new HashMap<>(tensors);
        values.put(input.getName(), onDevice(x));
        run(0, prefix.end(), values, x.getManager(), false);
        Map<String, NDArray> out = new HashMap<>();
        for (String name : prefix.outputs()) {
            NDArray value = values.get(name);
            out.put(name, owned.contains(value) ? value.duplicate() : value);
        }
        return out;
    }

    /**
     * Runs the rest of the graph on the prefix's outputs (as {@link #forwardPrefix} gave them, possibly stored and
     * batched anew): the same result as {@link #forward} on the input they came from.
     */
    public NDArray forwardFrom(Prefix prefix, Map<String, NDArray> prefixOutputs, boolean training) {
        NDManager scope = prefixOutputs.values().iterator().next().getManager();
        Map<String, NDArray> values = new HashMap<>(tensors);
        prefixOutputs.forEach((name, value) -> values.put(name, onDevice(value)));
        run(prefix.end(), nodes.size(), values, scope, training);
        NDArray result = values.get(outputName);
        return owned.contains(result) ? result.duplicate() : result;
    }

    private NDArray onDevice(NDArray x) {
        return x.getDevice().equals(device()) ? x : x.toDevice(device(), false);
    }

    private void run(int from, int to, Map<String, NDArray> values, NDManager scope, boolean training) {
        GraphOps.Context context = new GraphOps.Context() {
            @Override
            public NDArray local(NDArray array) {
                return toScope(array, scope);
            }

            @Override
            public void updateState(String name, NDArray value) {
                value.attach(manager);
                NDArray old = tensors.put(name, value);
                owned.remove(old);
                owned.add(value);
                values.put(name, value);
                // running statistics are not on the autograd graph of a training pass, so the old ones can go now
                old.close();
            }
        };
        for (NodeProto node : nodes.subList(from, to)) {
            if (node.getOpType().equals("Constant")) {
                continue;
            }
            List<NDArray> args = new ArrayList<>(node.getInputCount());
            for (String name : node.getInputList()) {
                args.add(name.isEmpty() ? null : values.get(name));
            }
            NDArray out;
            try {
                out = GraphOps.run(node, args, training, context);
            } catch (UnsupportedModelException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("ONNX node '" + node.getName() + "' (op " + node.getOpType()
                        + ") failed on input shapes " + args.stream().map(a -> a == null ? "-" : a.getShape().toString()).toList()
                        + ": " + e.getMessage(), e);
            }
            values.put(node.getOutput(0), toScope(out, scope));
        }
    }

    /** Results of operations on model-owned arrays land in the model's manager: move them to the step's. */
    private NDArray toScope(NDArray array, NDManager scope) {
        if (array.getManager() == manager && !owned.contains(array)) {
            array.attach(scope);
        }
        return array;
    }

    private void checkInput(NDArray x) {
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("model input must be float32, got " + x.getDataType());
        }
        List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        Shape shape = x.getShape();
        boolean fits = dims.isEmpty() || dims.size() == shape.dimension();
        for (int i = 0; fits && i < dims.size(); i++) {
            fits = !dims.get(i).hasDimValue() || dims.get(i).getDimValue() == shape.get(i);
        }
        if (!fits) {
            throw new IllegalArgumentException("input shape " + shape + " does not fit model input '" + input.getName() + "' "
                    + dims.stream().map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam()).toList());
        }
    }

    /** The parameters that train (all but the frozen ones), in graph order; each has a gradient attached. */
    public List<Pair<String, NDArray>> trainableParameters() {
        List<Pair<String, NDArray>> out = new ArrayList<>();
        for (String name : parameters) {
            if (!frozen.contains(name)) {
                out.add(new Pair<>(name, tensors.get(name)));
            }
        }
        return out;
    }

    /** All parameters, frozen or not, in graph order. */
    public List<Pair<String, NDArray>> parameters() {
        return parameters.stream().map(name -> new Pair<>(name, tensors.get(name))).toList();
    }

    /**
     * Freezes every parameter except the last {@code n} in graph order (the layers nearest the output).
     * {@code n <= 0} or {@code n >=} the parameter count trains everything again; a later call replaces an earlier one.
     */
    public void freezeAllButLast(int n) {
        frozen.clear();
        if (n > 0) {
            frozen.addAll(parameters.subList(0, Math.max(0, parameters.size() - n)));
        }
        for (String name : parameters) {
            tensors.get(name).setRequiresGradient(!frozen.contains(name));
        }
    }

    /** The device the model's arrays live on. */
    public Device device() {
        return manager.getDevice();
    }

    /** The name of the graph's input. */
    public String inputName() {
        return input.getName();
    }

    /** The original model with every parameter and running statistic replaced by its current value. */
    public ModelProto export() {
        GraphProto.Builder graph = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            boolean floats = t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
            graph.addInitializer(floats ? OnnxTensors.withValues(t, tensors.get(t.getName())) : t);
        }
        return model.toBuilder().setGraph(graph).build();
    }

    /** Writes {@link #export()} to {@code out}; the file appears whole or not at all. */
    public void save(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(out, export()::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + out + ": " + e.getMessage(), e);
        }
    }

    /** Frees the model's arrays. */
    @Override
    public void close() {
        manager.close();
    }
}
