package org.arcstream.embedder.gallery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.kafka.ActiveModelTopic;
import org.arcstream.kafka.KafkaClientConfig;

/**
 * When enrolled samples are visible to matching, seen from outside the embedder.
 *
 * <p>The matcher of every embedder instance scores faces against a global store that is a copy of the
 * compacted {@code centroids} topic, which the embedder's enrollment stage derives from the
 * {@code enrollment} topic: one record per identity and model version, listing the ids of the samples its
 * centroid was computed from. So a sample is visible to matching once a committed centroids record
 * of its identity and model version lists it. The enrollment topic read back would only show that the
 * sample was written (the producer's acknowledgement says as much), not that the embedder has processed
 * it; the admin API would show it, but from one instance only, and needs its address and credentials.
 * The centroids topic is read {@code read_committed}, as the embedders read it.
 */
final class MatchingVisibility {

    /** An identity whose centroid does not list all its samples yet: how many it lists of how many expected. */
    record Lacking(String identity, int visible, int expected) {

        @Override
        public String toString() {
            return identity + ": " + (visible == 0 ? "none" : visible + " of " + expected) + " sample(s) visible";
        }
    }

    private MatchingVisibility() {}

    /**
     * Reads the centroids topic from its start until, for every identity of {@code expected}, the latest
     * centroid of {@code modelVersion} lists all the expected sample ids, or until the timeout.
     *
     * @return the identities still lacking samples when the time was up; empty when all are visible
     */
    static List<Lacking> await(KafkaClientConfig kafka, String centroidsTopic, String modelVersion,
            Map<String, Set<String>> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<String>> listed = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            List<TopicPartition> partitions = consumer.partitionsFor(centroidsTopic, timeout).stream()
                    .map(p -> new TopicPartition(centroidsTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                List<Lacking> lacking = lacking(expected, listed);
                if (lacking.isEmpty() || System.nanoTime() > deadline) {
                    return lacking;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    CentroidKey key;
                    try {
                        key = CentroidKey.parse(r.key());
                    } catch (RecordFormatException e) {
                        continue;
                    }
                    if (!key.modelVersion().equals(modelVersion) || !expected.containsKey(key.identityId())) {
                        continue;
                    }
                    if (r.value() == null) {
                        listed.remove(key.identityId());
                        continue;
                    }
                    try {
                        listed.put(key.identityId(), CentroidCodec.decode(r.value()).sampleIds());
                    } catch (RecordFormatException e) {
                        listed.remove(key.identityId()); // the matcher cannot use it either
                    }
                }
            }
        }
    }

    private static List<Lacking> lacking(Map<String, Set<String>> expected, Map<String, List<String>> listed) {
        Map<String, Lacking> out = new TreeMap<>();
        expected.forEach((identity, samples) -> {
            List<String> have = listed.getOrDefault(identity, List.of());
            if (!have.containsAll(samples)) {
                int visible = (int) samples.stream().filter(have::contains).count();
                out.put(identity, new Lacking(identity, visible, samples.size()));
            }
        });
        return List.copyOf(out.values());
    }

    /** The model version the embedders embed and match with, from the compacted active-model topic; empty when none is named. */
    static Optional<String> activeModel(KafkaClientConfig kafka, String activeModelTopic, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            return ActiveModelTopic.latestDecision(consumer, activeModelTopic, timeout).map(ActiveModel::active);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaClientConfig kafka) {
        return new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // reading must not create a topic (uncompacted) that the embedder creates with its own settings
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
