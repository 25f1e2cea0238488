package org.arcstream.embedder.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.KafkaTopics;

/**
 * Creates the embedder's topics when they are missing: {@code enrollment} and {@code centroids}
 * compacted with one partition, {@code recognitions} compacted, the others with the cluster's partitions and a
 * time retention.
 * Refuses an enrollment topic with more than one partition, which would split an identity's samples,
 * and so its centroid, across tasks.
 *
 * <p>The settings bound how long a deleted person's data stays on the brokers (README, "Deleting a
 * person"); deploy/k8s/topics-job/topics.yaml and deploy/strimzi/topics.yaml ship the same values.
 */
public final class EmbedderTopics {

    /**
     * {@code segment.ms} of the compacted topics: Kafka compacts only closed segments, and the enrollment
     * stage closes the enrollment topic's segment this long after its last change (CentroidCalculator).
     */
    public static final Duration COMPACTED_SEGMENT = Duration.ofHours(1);

    /**
     * The compacted topics ({@code enrollment}, {@code centroids}, and Kafka Streams' changelogs): a
     * record replaced or deleted is cleaned from a closed segment within {@code max.compaction.lag.ms},
     * whatever the share of dirty records; tombstones stay {@code delete.retention.ms} for readers.
     */
    public static final Map<String, String> COMPACTED = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_MS_CONFIG, Long.toString(COMPACTED_SEGMENT.toMillis()),
            TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
            TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis()));

    /**
     * Time retention: a segment is deleted once its newest record is older than {@code retention.ms}, so a
     * record lives at most {@code retention.ms + segment.ms} (plus the broker's retention check, 5 min).
     * Frames are camera images; dead letters carry the frames and crops that failed, kept only for a look.
     */
    public static final Map<String, String> FRAMES = retention(Duration.ofDays(1), Duration.ofHours(1));
    public static final Map<String, String> FACES = retention(Duration.ofDays(7), Duration.ofDays(1));
    public static final Map<String, String> MATCHES = FACES;
    public static final Map<String, String> DEAD_LETTER = retention(Duration.ofDays(3), Duration.ofHours(6));

    private EmbedderTopics() {}

    private static Map<String, String> retention(Duration retention, Duration segment) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segment.toMillis()));
    }

    /** A topic's {@code segment.ms} as the broker applies it. */
    public static Duration segment(KafkaClientConfig kafka, String topic) {
        return Duration.ofMillis(Long.parseLong(config(kafka, topic, TopicConfig.SEGMENT_MS_CONFIG)));
    }

    /** Describes a topic, waiting for a topic created a moment ago to reach the broker's metadata. */
    private static TopicDescription describe(Admin admin, String topic) throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static IllegalStateException unreachable(String bootstrapServers, Exception cause) {
        return new IllegalStateException("cannot reach Kafka at " + bootstrapServers
                + ": no answer in time; is the cluster running, and is the bootstrap servers address right?", cause);
    }

    /**
     * A topic's {@code max.message.bytes} as the broker applies it (the topic's own setting, else the
     * broker's default): the largest record batch it accepts.
     */
    public static int maxMessageBytes(KafkaClientConfig kafka, String topic) {
        return Integer.parseInt(config(kafka, topic, TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
    }

    /** A topic setting as the broker applies it, waiting for a topic created a moment ago to reach the broker's metadata. */
    private static String config(KafkaClientConfig kafka, String topic, String key) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            describe(admin, topic);
            ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource).get(key);
            if (entry == null || entry.value() == null) {
                throw new IllegalStateException("topic " + topic + " reports no " + key);
            }
            return entry.value();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the configuration of topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void ensure(KafkaClientConfig kafka, TopicNames topics) {
        String bootstrapServers = kafka.bootstrapServers();
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            List<NewTopic> wanted = new ArrayList<>();
            Map<String, Map<String, String>> timed = Map.of(topics.frames(), FRAMES, topics.faces(), FACES, topics.matches(), MATCHES,
                    topics.deadLetter(), DEAD_LETTER);
            timed.forEach((name, configs) -> wanted.add(new NewTopic(name, Optional.empty(), Optional.empty()).configs(configs)));
            for (String name : List.of(topics.enrollment(), topics.centroids())) {
                wanted.add(new NewTopic(name, Optional.of(1), Optional.empty()).configs(COMPACTED));
            }
            // created even while learning is off, so that the trainer finds it empty rather than missing
            wanted.add(new NewTopic(topics.recognitions(), Optional.empty(), Optional.empty()).configs(COMPACTED));
            KafkaTopics.createMissing(admin, wanted, Duration.ofSeconds(60));
            TopicDescription enrollment = describe(admin, topics.enrollment());
            if (enrollment.partitions().size() != 1) {
                throw new IllegalStateException("topic " + topics.enrollment() + " has " + enrollment.partitions().size()
                        + " partitions; it must have exactly 1 so that all samples of an identity are averaged together");
            }
        } catch (TimeoutException e) {
            throw unreachable(bootstrapServers, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(bootstrapServers, e);
            }
            throw new IllegalStateException("cannot check the topics on Kafka at " + bootstrapServers + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
