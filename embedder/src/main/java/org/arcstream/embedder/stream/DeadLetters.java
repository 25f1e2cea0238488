package org.arcstream.embedder.stream;

import org.arcstream.ingest.topics.FrameHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Headers that a dead-lettered record carries beside its original key, value and headers. */
public final class DeadLetters {

    public static final String REASON = "dlq.reason";
    public static final String STAGE = "dlq.stage";
    public static final String SOURCE_TOPIC = "dlq.topic";
    public static final String SOURCE_PARTITION = "dlq.partition";
    public static final String SOURCE_OFFSET = "dlq.offset";
    public static final String VERSION = "dlq.v";

    private DeadLetters() {}

    /** The original headers plus why and where the record failed. */
    public static Headers headers(Headers original, String stage, String reason, RecordMetadata source) {
        Headers headers = new RecordHeaders(original.toArray());
        FrameHeaders.put(headers, VERSION, "1");
        FrameHeaders.put(headers, STAGE, stage);
        FrameHeaders.put(headers, REASON, reason == null ? "unknown error" : reason);
        if (source != null) {
            FrameHeaders.put(headers, SOURCE_TOPIC, source.topic());
            FrameHeaders.put(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
            FrameHeaders.put(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }
}
