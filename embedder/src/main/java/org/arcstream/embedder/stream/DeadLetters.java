package org.arcstream.embedder.stream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.arcstream.kafka.FrameRecordHeaders;

/**
 * Turns a record that cannot be used into its dead letter: the original key, value and headers plus
 * why and where it failed, and the original value's size and sha256. A dead letter never exceeds
 * what the stream may send ({@code maxRecordBytes}): a frame can be far larger than the producer's
 * request limit, and a dead letter the producer refuses would stop the instance, whose successor
 * reads the same frame again. So when the whole record does not fit, the value is left out (the
 * letter becomes a reference to the original by topic, partition and offset); when even the key and
 * headers do not fit, they are left out too. Format in docs/topics.md.
 */
public final class DeadLetters {

    public static final String VERSION = "dlq.v";
    public static final String STAGE = "dlq.stage";
    public static final String REASON = "dlq.reason";
    public static final String SOURCE_TOPIC = "dlq.topic";
    public static final String SOURCE_PARTITION = "dlq.partition";
    public static final String SOURCE_OFFSET = "dlq.offset";
    /** Bytes of the original value; absent when the original value was null. */
    public static final String SIZE = "dlq.size";
    /** Lower-case hex sha256 of the original value; absent when the original value was null. */
    public static final String SHA256 = "dlq.sha256";
    /** What of the original the letter carries: {@link #INCLUDED}, {@link #VALUE_OMITTED} or {@link #OMITTED}. */
    public static final String PAYLOAD = "dlq.payload";

    /** The original key, value and headers are all in the letter. */
    public static final String INCLUDED = "included";
    /** The original key and headers are in the letter, the value is not (null). */
    public static final String VALUE_OMITTED = "value-omitted";
    /** Neither the original key, value nor headers are in the letter: only the dlq headers. */
    public static final String OMITTED = "omitted";

    /** Format version of the dlq headers: 2 since the value may be left out. */
    static final String FORMAT_VERSION = "2";
    /** A reason may quote a whole key; cut it, so the reason alone cannot outgrow the letter. */
    static final int MAX_REASON_CHARS = 1000;

    private final long maxRecordBytes;

    /** @param maxRecordBytes the largest record the dead-letter sink may send (see {@link EmbedderTopology#deadLetterLimit}) */
    DeadLetters(long maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    long maxRecordBytes() {
        return maxRecordBytes;
    }

    /** The dead letter of {@code original}, as much of it as fits. */
    Record<String, byte[]> of(Record<String, byte[]> original, String stage, String reason, RecordMetadata source) {
        Headers letter = letterHeaders(original.value(), stage, reason, source);
        Headers whole = withPayload(new RecordHeaders(original.headers().toArray()), letter, INCLUDED);
        if (RecordSize.upperBound(original.key(), original.value(), whole) <= maxRecordBytes) {
            return original.withHeaders(whole);
        }
        Headers reference = withPayload(new RecordHeaders(original.headers().toArray()), letter, VALUE_OMITTED);
        if (RecordSize.upperBound(original.key(), null, reference) <= maxRecordBytes) {
            return original.<byte[]>withValue(null).withHeaders(reference);
        }
        return new Record<String, byte[]>(null, null, original.timestamp()).withHeaders(withPayload(new RecordHeaders(), letter, OMITTED));
    }

    private static Headers letterHeaders(byte[] value, String stage, String reason, RecordMetadata source) {
        Headers h = new RecordHeaders();
        FrameRecordHeaders.put(h, VERSION, FORMAT_VERSION);
        FrameRecordHeaders.put(h, STAGE, stage);
        String why = reason == null ? "unknown error" : reason;
        FrameRecordHeaders.put(h, REASON, why.length() <= MAX_REASON_CHARS ? why : why.substring(0, MAX_REASON_CHARS) + "...");
        // a record forwarded from a punctuation (a batch embedded on the wall clock) has metadata without a topic
        if (source != null && source.topic() != null) {
            FrameRecordHeaders.put(h, SOURCE_TOPIC, source.topic());
            FrameRecordHeaders.put(h, SOURCE_PARTITION, Integer.toString(source.partition()));
            FrameRecordHeaders.put(h, SOURCE_OFFSET, Long.toString(source.offset()));
        }
        if (value != null) {
            FrameRecordHeaders.put(h, SIZE, Integer.toString(value.length));
            FrameRecordHeaders.put(h, SHA256, sha256(value));
        }
        return h;
    }

    /** The original headers (any dlq header of an earlier letter replaced) plus this letter's. */
    private static Headers withPayload(Headers original, Headers letter, String payload) {
        letter.forEach(h -> original.remove(h.key()));
        original.remove(PAYLOAD);
        letter.forEach(h -> original.add(h.key(), h.value()));
        FrameRecordHeaders.put(original, PAYLOAD, payload);
        return original;
    }

    /**
     * Has the stream's producer tell {@code listener} of each dead letter Kafka acknowledged, and of no other: a
     * letter the broker refuses (the topic's limit lowered, no write permission) stops the instance and is no
     * dead letter written. Under exactly-once an acknowledged letter becomes visible at its transaction's
     * commit; one whose transaction is aborted (the instance dies first) is counted, and again by the
     * instance that then writes it, as Kafka's own producer metrics count it.
     */
    public static void countWritten(Properties streamsProperties, String deadLetterTopic, PipelineListener listener) {
        streamsProperties.put(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), Acknowledgements.class.getName());
        streamsProperties.put(StreamsConfig.producerPrefix(Acknowledgements.TOPIC), deadLetterTopic);
        streamsProperties.put(StreamsConfig.producerPrefix(Acknowledgements.LISTENER), listener);
    }

    /** The producer interceptor of {@link #countWritten}; Kafka creates it from its configuration. */
    public static final class Acknowledgements implements ProducerInterceptor<byte[], byte[]> {

        static final String TOPIC = "arcstream.dead-letter.topic";
        static final String LISTENER = "arcstream.dead-letter.listener";

        private String topic;
        private PipelineListener listener = PipelineListener.NONE;

        @Override
        public void configure(Map<String, ?> configs) {
            topic = (String) configs.get(TOPIC);
            Object configured = configs.get(LISTENER);
            listener = configured instanceof PipelineListener l ? l : PipelineListener.NONE;
        }

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception, Headers headers) {
            if (exception == null && metadata != null && metadata.topic().equals(topic) && headers != null) {
                listener.onDeadLetter(FrameRecordHeaders.string(headers, STAGE), FrameRecordHeaders.string(headers, REASON));
            }
        }

        @Override
        public void close() {}
    }

    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
