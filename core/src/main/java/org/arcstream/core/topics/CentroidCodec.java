package org.arcstream.core.topics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Binary form of {@link CentroidRecord} (layout in docs/topics.md): vectors round-trip exactly. */
public final class CentroidCodec {

    /** Format version written into every value. */
    public static final byte VERSION = 1;
    /** Most centroids one identity may have for one model version. */
    public static final int MAX_CENTROIDS = 0xFF;
    private static final byte MAGIC_A = 'A', MAGIC_B = 'C';

    private CentroidCodec() {}

    public static byte[] encode(CentroidRecord r) {
        if (r.sampleIds().size() > 0xFFFF) {
            throw new IllegalArgumentException("at most 65535 samples per identity");
        }
        int dimension = r.centroids().get(0).length;
        if (dimension > 0xFFFF) {
            throw new IllegalArgumentException("centroid too long to encode");
        }
        BinaryFields.Writer w = new BinaryFields.Writer()
                .u8(MAGIC_A).u8(MAGIC_B).u8(VERSION)
                .utf8(r.identityId(), 0xFFFF, "identity id")
                .utf8(r.name(), 0xFFFF, "name")
                .utf8(r.modelVersion(), 0xFF, "model version")
                .u16(r.sampleIds().size());
        for (String sample : r.sampleIds()) {
            w.utf8(sample, 0xFF, "sample id");
        }
        w.u8(r.centroids().size()).u16(dimension);
        r.centroids().forEach(w::floats);
        return w.toByteArray();
    }

    public static CentroidRecord decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            BinaryFields.checkHeader(b, MAGIC_A, MAGIC_B, VERSION, "a centroid record");
            String identity = BinaryFields.utf8(b, Short.toUnsignedInt(b.getShort()));
            String name = BinaryFields.utf8(b, Short.toUnsignedInt(b.getShort()));
            String model = BinaryFields.utf8(b, Byte.toUnsignedInt(b.get()));
            int samples = Short.toUnsignedInt(b.getShort());
            List<String> sampleIds = new ArrayList<>(samples);
            for (int i = 0; i < samples; i++) {
                sampleIds.add(BinaryFields.utf8(b, Byte.toUnsignedInt(b.get())));
            }
            int count = Byte.toUnsignedInt(b.get());
            int dimension = Short.toUnsignedInt(b.getShort());
            List<float[]> centroids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                centroids.add(BinaryFields.floats(b, dimension));
            }
            if (b.hasRemaining()) {
                throw new RecordFormatException("centroid record has " + b.remaining() + " trailing bytes");
            }
            return new CentroidRecord(identity, name, model, sampleIds, centroids);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("centroid record is truncated (" + data.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("centroid record is invalid: " + e.getMessage(), e);
        }
    }
}
