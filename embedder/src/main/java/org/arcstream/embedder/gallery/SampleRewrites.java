package org.arcstream.embedder.gallery;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Tells a rewrite of a stored enrollment sample (the re-index of a promotion adding or dropping a model
 * version's embedding) from an enrollment. A rewrite is read from the topic and written back later, so a
 * deletion can land in between; the enrollment stage therefore takes a rewrite only for a sample it still
 * holds, and answers one for a deleted sample with a tombstone, so that a delete during a promotion stays
 * a delete.
 */
public final class SampleRewrites {

    /** Header on rewritten samples; an enrollment has none. */
    public static final String HEADER = "arcstream.rewrite";

    private SampleRewrites() {}

    /** Headers for a rewritten sample. */
    public static Headers headers() {
        return new RecordHeaders().add(HEADER, "1".getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean isRewrite(Headers headers) {
        return headers != null && headers.lastHeader(HEADER) != null;
    }
}
