package org.arcstream.embedder.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.kafka.ActiveModelTopic;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.KafkaTopics;

/**
 * The Kafka side of the model hot swap: the one place its clients are built, the creation of the
 * {@code models} and {@code active-model} topics, and the read of the standing switch decision.
 * Building this object connects to nothing.
 */
final class ModelTopicClients {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientConfig kafka;
    private final HotSwapSettings settings;

    ModelTopicClients(KafkaClientConfig kafka, HotSwapSettings settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    /** A consumer that reads committed records from the beginning and commits nothing. */
    Consumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent producer that waits for every replica. */
    Producer<String, byte[]> producer() {
        return new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)), new StringSerializer(), new ByteArraySerializer());
    }

    /** Creates the models and active-model topics when missing: compacted, one partition (records are few and ordered). */
    void ensureTopics() {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String name : List.of(settings.modelsTopic(), settings.activeModelTopic())) {
                wanted.add(new NewTopic(name, Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            KafkaTopics.createMissing(admin, wanted, Duration.ofSeconds(60));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServers() + " to check the model topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The standing switch decision ({@link ActiveModelTopic#latestDecision}). */
    Optional<ActiveModel> latestDecision() {
        try (Consumer<String, byte[]> c = consumer()) {
            return ActiveModelTopic.latestDecision(c, settings.activeModelTopic(), READ_TIMEOUT);
        }
    }
}
