package org.arcstream.trainer.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteOrder;

/** Reads float initializers straight from the protobuf, without DJL, for the tests. */
final class OnnxTensorsAccess {

    private OnnxTensorsAccess() {}

    static float[] floats(TensorProto t) {
        if (t.getRawData().isEmpty()) {
            float[] out = new float[t.getFloatDataCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getFloatData(i);
            }
            return out;
        }
        float[] out = new float[t.getRawData().size() / 4];
        t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
