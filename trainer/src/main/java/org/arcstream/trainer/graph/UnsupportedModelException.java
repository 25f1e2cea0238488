package org.arcstream.trainer.graph;

/** An ONNX model uses an operator, attribute or tensor type the graph interpreter cannot execute or train. */
public final class UnsupportedModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }

    static UnsupportedModelException forNode(ai.onnx.proto.OnnxMl.NodeProto node, String problem) {
        return new UnsupportedModelException("ONNX node '" + node.getName() + "' (op " + node.getOpType() + "): " + problem);
    }
}
