package org.arcstream.embedder.gallery;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.RecordFormatException;

/**
 * A value of the embedder's enrollment-samples store: the sample without its crop, and where its record
 * (with the crop) is in the enrollment topic, so that the crop can be read back from there when someone
 * asks for it instead of being kept a second time.
 *
 * <p>Layout: {@code 'S' 'P'}, format version 1, partition (int32), offset (int64), then the sample in
 * {@link EnrollmentCodec}'s form. Values written before positions were kept are the bare
 * {@link EnrollmentCodec} form (they start with {@code 'A' 'N'}) and decode without a position.
 *
 * @param position null for a value written before positions were kept
 */
public record StoredSample(EnrollmentRecord sample, EnrollmentPosition position) {

    private static final byte MAGIC_A = 'S', MAGIC_B = 'P', VERSION = 1;
    private static final int HEADER = 3 + Integer.BYTES + Long.BYTES;

    public static byte[] encode(EnrollmentRecord sample, EnrollmentPosition position) {
        byte[] record = EnrollmentCodec.encode(sample);
        return ByteBuffer.allocate(HEADER + record.length).put(MAGIC_A).put(MAGIC_B).put(VERSION)
                .putInt(position.partition()).putLong(position.offset()).put(record).array();
    }

    public static StoredSample decode(byte[] value) {
        if (value.length < 2 || value[0] != MAGIC_A || value[1] != MAGIC_B) {
            return new StoredSample(EnrollmentCodec.decode(value), null);
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(value);
            b.position(2);
            byte version = b.get();
            if (version != VERSION) {
                throw new RecordFormatException("stored sample of format version " + version + ", this version reads " + VERSION);
            }
            EnrollmentPosition position = new EnrollmentPosition(b.getInt(), b.getLong());
            return new StoredSample(EnrollmentCodec.decode(Arrays.copyOfRange(value, HEADER, value.length)), position);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("stored sample is truncated (" + value.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("stored sample is invalid: " + e.getMessage(), e);
        }
    }
}
