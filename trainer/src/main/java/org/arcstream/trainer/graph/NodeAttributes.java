package org.arcstream.trainer.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.Map;

/** Typed access to the attributes of one ONNX node, with ONNX defaults. */
final class NodeAttributes {

    private final NodeProto node;
    private final Map<String, AttributeProto> byName = new HashMap<>();

    NodeAttributes(NodeProto node) {
        this.node = node;
        for (AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long integer(String name, long fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getI();
    }

    float real(String name, float fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getF();
    }

    String string(String name, String fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    long[] integers(String name, long[] fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    TensorProto tensor(String name) {
        AttributeProto a = byName.get(name);
        if (a == null || !a.hasT()) {
            throw UnsupportedModelException.forNode(node, "attribute '" + name + "' with a tensor value is required");
        }
        return a.getT();
    }
}
