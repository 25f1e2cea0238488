package org.arcstream.embedder.gallery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.RecognitionKey;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.TopicScan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tombstones every record of a deleted person on the recognitions topic (the embedder's confident recognitions,
 * keyed {@code identityId/camera/slot}), so that compaction removes their faces from the brokers too.
 *
 * <p>The keys are found by reading the topic, not from a list the embedder keeps: they are written by the matcher of
 * whichever stream task holds a camera's frames, on whichever instance, and a task's memory of its slots is gone after
 * a restart or a rebalance; keys written under an earlier {@code embedder.learning.per-person-camera} would be missed
 * by one computed from the current setting. The topic is the one place that knows them all. Its size is bounded by
 * compaction: at most {@code per-person-camera} live records per person and camera, plus what arrived since the
 * log cleaner last ran (at most one per person and camera every {@code min-interval}; {@code max.compaction.lag.ms}
 * 1 h). A delete reads it once, holding only the keys of the person, and is as rare as deletions are.
 *
 * <p>Each tombstone goes to the partition its record was read from, whatever partitioner wrote it. The read runs after
 * the person has left matching and sees records of transactions still open; a recognition written after its end
 * offsets were taken (a frame the matcher was matching in that very moment) is missed. The trainer never trains on
 * anyone no longer enrolled, nor on a recognition captured before a re-enrolled person's current samples, so such a
 * record is never used; it stays on the brokers until its slot is written again or the topic is cleaned.
 */
public final class RecognitionEraser {

    private static final Logger LOG = LoggerFactory.getLogger(RecognitionEraser.class);
    /** How long the topic may deliver nothing before its end, and the longest wait for a tombstone's acknowledgement. */
    private static final Duration STALL = Duration.ofSeconds(30);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Producer<String, byte[]> producer;
    private final String topic;

    /**
     * @param consumers a new consumer (outside any group) per deletion, closed after it
     * @param producer sends the tombstones (acks=all)
     */
    public RecognitionEraser(Supplier<Consumer<String, byte[]>> consumers, Producer<String, byte[]> producer, String topic) {
        this.consumers = consumers;
        this.producer = producer;
        this.topic = topic;
    }

    /** An eraser of the recognitions topic of a cluster. */
    public static RecognitionEraser of(KafkaClientConfig kafka, Producer<String, byte[]> producer, String topic) {
        // read_uncommitted: a recognition of a transaction still open (the matcher's last match of the person) is seen
        // and tombstoned too; a tombstone for the key of an aborted record is harmless
        return new RecognitionEraser(() -> new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)), new StringDeserializer(), new ByteArrayDeserializer()), producer, topic);
    }

    /**
     * Tombstones the person's live recognitions and waits until Kafka has them all.
     *
     * @return the keys tombstoned
     * @throws GalleryUnavailableException when the topic cannot be read or a tombstone is not acknowledged
     */
    public List<String> erase(String identityId) {
        String prefix = SampleKey.prefix(identityId);
        // live keys of the person, each with the partition its latest record is in
        Map<String, Integer> live = new TreeMap<>();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            if (!consumer.listTopics(STALL).containsKey(topic)) {
                return List.of(); // never created: nothing was ever kept
            }
            TopicScan.read(consumer, topic, STALL, r -> {
                if (r.key() == null || !r.key().startsWith(prefix) || !ofPerson(r.key(), identityId)) {
                    return;
                }
                if (r.value() == null) {
                    live.remove(r.key());
                } else {
                    live.put(r.key(), r.partition());
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            throw new GalleryUnavailableException("the recognitions of " + identityId + " could not be read: " + e.getMessage(), e);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        live.forEach((key, partition) -> sent.add(producer.send(new ProducerRecord<>(topic, partition, key, null))));
        producer.flush();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(STALL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new GalleryUnavailableException("the recognitions of " + identityId + " were not tombstoned: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GalleryUnavailableException("tombstoning the recognitions of " + identityId + " was interrupted", e);
        }
        if (!live.isEmpty()) {
            LOG.info("tombstoned {} recognitions of a deleted person on {}", live.size(), topic);
        }
        return List.copyOf(live.keySet());
    }

    /** A key that parses as a recognition of exactly this person (the prefix already matched). */
    private static boolean ofPerson(String key, String identityId) {
        try {
            return RecognitionKey.parse(key).identityId().equals(identityId);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
