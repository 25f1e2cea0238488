package org.arcstream.core.topics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Length-prefixed strings and float vectors for the binary record codecs, big-endian. */
final class BinaryFields {

    private BinaryFields() {}

    /** A growing big-endian buffer. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private final ByteBuffer scratch = ByteBuffer.allocate(8);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer i32(int v) {
            scratch.clear();
            out.write(scratch.putInt(v).array(), 0, 4);
            return this;
        }

        Writer i64(long v) {
            scratch.clear();
            out.write(scratch.putLong(v).array(), 0, 8);
            return this;
        }

        Writer bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        /** A string with a u8 or u16 length prefix, refused when longer than {@code maxBytes}. */
        Writer utf8(String s, int maxBytes, String field) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > maxBytes) {
                throw new IllegalArgumentException(field + " is longer than " + maxBytes + " bytes");
            }
            return (maxBytes <= 0xFF ? u8(b.length) : u16(b.length)).bytes(b);
        }

        Writer floats(float[] v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length);
            b.asFloatBuffer().put(v);
            return bytes(b.array());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    static String utf8(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static float[] floats(ByteBuffer b, int n) {
        if (4L * n > b.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        b.position(b.position() + 4 * n);
        return out;
    }

    static byte[] bytes(ByteBuffer b, int n) {
        if (n < 0 || n > b.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    static void checkHeader(ByteBuffer b, byte magicA, byte magicB, byte version, String what) {
        if (b.remaining() < 3 || b.get() != magicA || b.get() != magicB) {
            throw new RecordFormatException("not " + what + " (bad magic)");
        }
        byte v = b.get();
        if (v != version) {
            throw new RecordFormatException(what + " version " + v + " is not supported (expected " + version + ")");
        }
    }
}
