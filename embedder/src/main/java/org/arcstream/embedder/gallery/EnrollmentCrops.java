package org.arcstream.embedder.gallery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.kafka.KafkaClientConfig;

/**
 * Reads the aligned crop of one enrollment sample from the enrollment topic, at the position the
 * enrollment stage recorded for it: one seek and one small fetch per crop. Nothing is cached here, so a
 * deleted sample's crop is not held by this instance after the deletion (the console's browser caches it,
 * revalidated on every view). One consumer, outside any group, made on first use and shared by the
 * callers one at a time. Thread-safe.
 */
public final class EnrollmentCrops implements AutoCloseable {

    /** Longest wait for the broker to return the record. */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private Consumer<String, byte[]> consumer;
    private boolean closed;

    public EnrollmentCrops(Supplier<Consumer<String, byte[]>> consumers, String topic) {
        this.consumers = consumers;
        this.topic = topic;
    }

    /** Crops of the enrollment topic of a cluster; the consumer reads only committed records, as the enrollment stage does. */
    public static EnrollmentCrops of(KafkaClientConfig kafka, String topic) {
        return new EnrollmentCrops(() -> new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                // one crop is a few kilobytes; the fetch stops after the first batch anyway
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024)), new StringDeserializer(), new ByteArrayDeserializer()),
                topic);
    }

    /**
     * The crop of the sample whose record is at {@code position} under {@code key}; empty when that record
     * is gone (compacted away after a deletion or a newer version), is under another key or keeps no crop.
     * {@link GalleryUnavailableException} when the broker does not answer in time.
     */
    public synchronized Optional<byte[]> crop(String key, EnrollmentPosition position) {
        if (closed) {
            throw new GalleryUnavailableException("the service is shutting down");
        }
        TopicPartition partition = new TopicPartition(topic, position.partition());
        try {
            if (consumer == null) {
                consumer = consumers.get();
            }
            consumer.assign(List.of(partition));
            consumer.seek(partition, position.offset());
            long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    // compaction may have removed the record: the next one is then someone else's
                    return r.offset() == position.offset() && key.equals(r.key()) ? cropOf(r.value()) : Optional.empty();
                }
                if (consumer.position(partition) > position.offset()) {
                    return Optional.empty(); // the offset holds no record any more (compacted, or a transaction marker)
                }
            }
        } catch (KafkaException e) {
            dropConsumer();
            throw new GalleryUnavailableException("the crop could not be read from topic " + topic + ": " + e.getMessage(), e);
        }
        throw new GalleryUnavailableException("the crop was not read from topic " + topic + " within " + FETCH_TIMEOUT.toSeconds() + " s");
    }

    private static Optional<byte[]> cropOf(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            EnrollmentRecord r = EnrollmentCodec.decode(value);
            return r.cropPng().length == 0 ? Optional.empty() : Optional.of(r.cropPng());
        } catch (RecordFormatException e) {
            return Optional.empty();
        }
    }

    private void dropConsumer() {
        if (consumer != null) {
            try {
                consumer.close();
            } catch (KafkaException ignored) {
                // it is replaced on the next request
            }
            consumer = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        dropConsumer();
    }
}
