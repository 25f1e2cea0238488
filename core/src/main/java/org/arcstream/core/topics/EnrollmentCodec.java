package org.arcstream.core.topics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary form of {@link EnrollmentRecord} (layout in docs/topics.md): the PNG crop and the float
 * vectors go in as they are, which JSON could only carry as base64 text.
 */
public final class EnrollmentCodec {

    /** Format version written into every value. */
    public static final byte VERSION = 1;
    private static final byte MAGIC_A = 'A', MAGIC_B = 'N';

    private EnrollmentCodec() {}

    public static byte[] encode(EnrollmentRecord r) {
        if (r.embeddings().size() > 0xFF) {
            throw new IllegalArgumentException("at most 255 model versions per sample");
        }
        BinaryFields.Writer w = new BinaryFields.Writer()
                .u8(MAGIC_A).u8(MAGIC_B).u8(VERSION)
                .utf8(r.identityId(), 0xFFFF, "identity id")
                .utf8(r.name(), 0xFFFF, "name")
                .utf8(r.source(), 0xFFFF, "source")
                .i64(r.enrolledAtMillis())
                .i32(r.cropPng().length).bytes(r.cropPng())
                .u8(r.embeddings().size());
        // sorted, so that equal samples encode to equal bytes
        for (Map.Entry<String, float[]> e : new TreeMap<>(r.embeddings()).entrySet()) {
            if (e.getValue().length > 0xFFFF) {
                throw new IllegalArgumentException("embedding too long to encode");
            }
            w.utf8(e.getKey(), 0xFF, "model version").u16(e.getValue().length).floats(e.getValue());
        }
        return w.toByteArray();
    }

    public static EnrollmentRecord decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            BinaryFields.checkHeader(b, MAGIC_A, MAGIC_B, VERSION, "an enrollment record");
            String identity = BinaryFields.utf8(b, Short.toUnsignedInt(b.getShort()));
            String name = BinaryFields.utf8(b, Short.toUnsignedInt(b.getShort()));
            String source = BinaryFields.utf8(b, Short.toUnsignedInt(b.getShort()));
            long enrolledAt = b.getLong();
            byte[] crop = BinaryFields.bytes(b, b.getInt());
            int models = Byte.toUnsignedInt(b.get());
            Map<String, float[]> embeddings = new LinkedHashMap<>();
            for (int i = 0; i < models; i++) {
                String model = BinaryFields.utf8(b, Byte.toUnsignedInt(b.get()));
                embeddings.put(model, BinaryFields.floats(b, Short.toUnsignedInt(b.getShort())));
            }
            if (b.hasRemaining()) {
                throw new RecordFormatException("enrollment record has " + b.remaining() + " trailing bytes");
            }
            return new EnrollmentRecord(identity, name, source, enrolledAt, crop, embeddings);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("enrollment record is truncated (" + data.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("enrollment record is invalid: " + e.getMessage(), e);
        }
    }
}
