package org.arcstream.core.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX file says about itself without running it: the shape of its first graph input (-1 for a
 * symbolic or unknown dimension) and its metadata properties (key/value strings).
 */
public record OnnxModelInfo(String inputName, long[] inputShape, Map<String, String> metadata) {

    public OnnxModelInfo {
        inputShape = inputShape.clone();
        metadata = Map.copyOf(metadata);
    }

    /** Reads the file; one that is not an ONNX model gives an {@link IllegalArgumentException} naming it. */
    public static OnnxModelInfo read(Path file) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid ONNX model: " + file + " (it cannot be parsed): replace it with a complete ONNX model, or point embedding.model, detector.model or landmarks.model at one", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model " + file + ": " + e.getMessage(), e);
        }
        return of(model, file);
    }

    static OnnxModelInfo of(ModelProto model, Path file) {
        Set<String> initializers = new HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        ValueInfoProto input = model.getGraph().getInputList().stream()
                .filter(i -> !initializers.contains(i.getName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a valid ONNX model: " + file + " (its graph has no input)"));
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).hasDimValue() ? shape.getDim(i).getDimValue() : -1;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            metadata.put(p.getKey(), p.getValue());
        }
        return new OnnxModelInfo(input.getName(), dims, metadata);
    }

    /** True when the first input has a free leading dimension, so several samples can go through one call. */
    public boolean dynamicBatch() {
        return inputShape.length > 0 && inputShape[0] < 0;
    }
}
