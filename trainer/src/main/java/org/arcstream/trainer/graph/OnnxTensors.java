package org.arcstream.trainer.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversion between ONNX tensors (float32, int64, int32) and NDArrays. */
final class OnnxTensors {

    private OnnxTensors() {}

    static NDArray read(TensorProto tensor, NDManager manager) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new UnsupportedModelException("initializer '" + tensor.getName()
                    + "' keeps its data in an external file; only self-contained models are supported");
        }
        Shape shape = new Shape(tensor.getDimsList().stream().mapToLong(Long::longValue).toArray());
        int count = Math.toIntExact(shape.size());
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE: {
                float[] values = new float[count];
                if (!tensor.getRawData().isEmpty()) {
                    checkSize(tensor, raw.remaining(), count * 4L);
                    raw.asFloatBuffer().get(values);
                } else {
                    checkSize(tensor, tensor.getFloatDataCount(), count);
                    for (int i = 0; i < count; i++) {
                        values[i] = tensor.getFloatData(i);
                    }
                }
                return manager.create(values, shape);
            }
            case TensorProto.DataType.INT64_VALUE: {
                long[] values = new long[count];
                if (!tensor.getRawData().isEmpty()) {
                    checkSize(tensor, raw.remaining(), count * 8L);
                    raw.asLongBuffer().get(values);
                } else {
                    checkSize(tensor, tensor.getInt64DataCount(), count);
                    for (int i = 0; i < count; i++) {
                        values[i] = tensor.getInt64Data(i);
                    }
                }
                return manager.create(values, shape);
            }
            case TensorProto.DataType.INT32_VALUE: {
                int[] values = new int[count];
                if (!tensor.getRawData().isEmpty()) {
                    checkSize(tensor, raw.remaining(), count * 4L);
                    raw.asIntBuffer().get(values);
                } else {
                    checkSize(tensor, tensor.getInt32DataCount(), count);
                    for (int i = 0; i < count; i++) {
                        values[i] = tensor.getInt32Data(i);
                    }
                }
                return manager.create(values, shape);
            }
            default:
                throw new UnsupportedModelException("tensor '" + tensor.getName() + "' has ONNX data type "
                        + TensorProto.DataType.forNumber(tensor.getDataType()) + "; supported: FLOAT, INT64, INT32");
        }
    }

    /** {@code original} with its float32 values replaced by {@code values}; name, dims and metadata kept. */
    static TensorProto withValues(TensorProto original, NDArray values) {
        float[] data = values.toType(DataType.FLOAT32, false).toFloatArray();
        ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        return original.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(raw.array())).build();
    }

    private static void checkSize(TensorProto tensor, long actual, long expected) {
        if (actual != expected) {
            throw new UnsupportedModelException("tensor '" + tensor.getName() + "' holds " + actual
                    + " values/bytes but its dims " + tensor.getDimsList() + " need " + expected);
        }
    }
}
