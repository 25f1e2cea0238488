package org.arcstream.embedder.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The most bytes a record can take in a request, computed as the producer does before it refuses a
 * record larger than {@code max.request.size}: a batch header, and each length of the v2 record
 * format at its widest varint. A record that passes here also passes there, and fits a topic whose
 * {@code max.message.bytes} is at least this.
 */
final class RecordSize {

    /** Batch header of the v2 format, which a lone record pays for in full. */
    private static final int BATCH_OVERHEAD = 61;
    /** Record length, attributes, timestamp delta, offset delta, key length, value length, header count. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;
    /** Key length and value length of one header. */
    private static final int HEADER_OVERHEAD = 5 + 5;

    private RecordSize() {}

    static long upperBound(String key, byte[] value, Headers headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD;
        size += key == null ? 0 : utf8Length(key);
        size += value == null ? 0 : value.length;
        return size + headerBytes(headers, HEADER_OVERHEAD);
    }

    /** The headers' names and values, plus {@code perHeader} bytes for each. */
    static long headerBytes(Headers headers, int perHeader) {
        long size = 0;
        for (Header h : headers) {
            size += perHeader + utf8Length(h.key()) + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
