package org.arcstream.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.arcstream.core.topics.FrameHeaders;

/** Typed access to the headers of a frame record (names and value format: {@link FrameHeaders}). */
public final class FrameRecordHeaders {

    private FrameRecordHeaders() {}

    public static String string(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : FrameHeaders.decode(h.value());
    }

    /** A numeric header, or {@code fallback} when it is absent; a malformed value is an error naming the header. */
    public static long number(Headers headers, String name, long fallback) {
        return FrameHeaders.number(name, string(headers, name), fallback);
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, FrameHeaders.encode(value));
    }
}
