package org.arcstream.ingest.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Header names of frame records, and typed access to them. */
public final class FrameHeaders {

    public static final String CAMERA = "camera";
    public static final String CAPTURE_TIMESTAMP = "capture-ts";
    public static final String SEQUENCE = "seq";
    public static final String CONTENT_TYPE = "content-type";
    public static final String VERSION = "v";

    private FrameHeaders() {}

    public static String string(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A numeric header, or {@code fallback} when it is absent; a malformed value is an error naming the header. */
    public static long number(Headers headers, String name, long fallback) {
        String value = string(headers, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + name + " must be a number, got '" + value + "'");
        }
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
