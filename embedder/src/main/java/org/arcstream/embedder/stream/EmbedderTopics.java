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
 * compacted with one partition, the others with the cluster's defaults. Refuses an enrollment topic
 * with more than one partition, which would split an identity's samples, and so its centroid,
 * across tasks.
 */
public final class EmbedderTopics {

    private EmbedderTopics() {}

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
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry == null || entry.value() == null) {
                throw new IllegalStateException("topic " + topic + " reports no " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            }
            return Integer.parseInt(entry.value());
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
            Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            List<NewTopic> wanted = new ArrayList<>();
            for (String name : List.of(topics.frames(), topics.faces(), topics.matches(), topics.deadLetter())) {
                wanted.add(new NewTopic(name, Optional.empty(), Optional.empty()));
            }
            for (String name : List.of(topics.enrollment(), topics.centroids())) {
                wanted.add(new NewTopic(name, Optional.of(1), Optional.empty()).configs(compacted));
            }
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
