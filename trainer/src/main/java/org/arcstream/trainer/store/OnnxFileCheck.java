package org.arcstream.trainer.store;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells an ONNX model from any other file by parsing it: a model needs a graph with nodes, inputs and outputs. */
final class OnnxFileCheck {

    private OnnxFileCheck() {}

    static void requireOnnx(Path file) {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // protobuf's own wording speaks of fields and embedded messages; say what it means for the file
            throw new CorruptModelException(file + " is not an ONNX model: it cannot be parsed (truncated, or another kind of file)", e);
        } catch (IOException e) {
            throw new CorruptModelException(file + " cannot be read: " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getGraph().getInputCount() == 0
                || model.getGraph().getOutputCount() == 0) {
            throw new CorruptModelException(file + " is not an ONNX model: no graph with nodes, inputs and outputs");
        }
    }
}
