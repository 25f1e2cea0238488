package org.arcstream.core.topics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.arcstream.core.detect.FaceBox;

/**
 * Compact binary form of {@link FaceEmbeddingRecord} (layout in docs/topics.md). Embeddings are the
 * highest-volume records of the pipeline: 512 floats take 2 KiB as binary and about three times that
 * as JSON text, and binary round-trips every float exactly without parsing.
 */
public final class FaceEmbeddingCodec {

    /** Format version written into every value. */
    public static final byte VERSION = 1;
    private static final byte MAGIC_A = 'A', MAGIC_F = 'F';

    private FaceEmbeddingCodec() {}

    public static byte[] encode(FaceEmbeddingRecord r) {
        byte[] camera = r.frame().camera().getBytes(StandardCharsets.UTF_8);
        byte[] model = r.modelVersion().getBytes(StandardCharsets.UTF_8);
        if (camera.length > 0xFFFF || model.length > 0xFF || r.embedding().length > 0xFFFF) {
            throw new IllegalArgumentException("camera id, model version or embedding too long to encode");
        }
        int size = 3 + 2 + camera.length + 8 + 4 + 8 + 8 + 2 + 5 * 4 + 10 * 4 + 1 + model.length + 2 + 4 * r.embedding().length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC_A).put(MAGIC_F).put(VERSION);
        b.putShort((short) camera.length).put(camera);
        b.putLong(r.frame().sequence()).putInt(r.frame().partition()).putLong(r.frame().offset());
        b.putLong(r.captureMillis());
        b.putShort((short) r.faceIndex());
        FaceBox box = r.box();
        b.putFloat(box.x1()).putFloat(box.y1()).putFloat(box.x2()).putFloat(box.y2()).putFloat(box.score());
        for (float v : r.landmarks()) {
            b.putFloat(v);
        }
        b.put((byte) model.length).put(model);
        b.putShort((short) r.embedding().length);
        for (float v : r.embedding()) {
            b.putFloat(v);
        }
        return b.array();
    }

    public static FaceEmbeddingRecord decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != MAGIC_A || b.get() != MAGIC_F) {
                throw new RecordFormatException("not a face embedding record (bad magic)");
            }
            byte version = b.get();
            if (version != VERSION) {
                throw new RecordFormatException("face embedding record version " + version + " is not supported (expected " + VERSION + ")");
            }
            String camera = utf8(b, Short.toUnsignedInt(b.getShort()));
            FrameRef frame = new FrameRef(camera, b.getLong(), b.getInt(), b.getLong());
            long capture = b.getLong();
            int faceIndex = Short.toUnsignedInt(b.getShort());
            FaceBox box = new FaceBox(b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat());
            float[] landmarks = floats(b, 10);
            String model = utf8(b, Byte.toUnsignedInt(b.get()));
            float[] embedding = floats(b, Short.toUnsignedInt(b.getShort()));
            if (b.hasRemaining()) {
                throw new RecordFormatException("face embedding record has " + b.remaining() + " trailing bytes");
            }
            return new FaceEmbeddingRecord(frame, capture, faceIndex, box, landmarks, model, embedding);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("face embedding record is truncated (" + data.length + " bytes)", e);
        }
    }

    private static String utf8(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static float[] floats(ByteBuffer b, int n) {
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        b.position(b.position() + 4 * n);
        return out;
    }
}
