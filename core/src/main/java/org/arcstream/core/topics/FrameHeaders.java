package org.arcstream.core.topics;

import java.nio.charset.StandardCharsets;

/**
 * Header names of frame records and the encoding of their values (UTF-8 text; numbers as decimal text).
 * Reading and writing them on a Kafka record is {@code org.arcstream.kafka.FrameRecordHeaders}.
 */
public final class FrameHeaders {

    public static final String CAMERA = "camera";
    public static final String CAPTURE_TIMESTAMP = "capture-ts";
    public static final String SEQUENCE = "seq";
    public static final String CONTENT_TYPE = "content-type";
    public static final String VERSION = "v";

    private FrameHeaders() {}

    /** The bytes of a header value. */
    public static byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of a header value; {@code null} for {@code null}. */
    public static String decode(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** A numeric header value, or {@code fallback} when it is absent; a malformed value is an error naming the header. */
    public static long number(String name, String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + name + " must be a number, got '" + value + "'");
        }
    }
}
