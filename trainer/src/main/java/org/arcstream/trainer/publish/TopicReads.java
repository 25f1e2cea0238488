package org.arcstream.trainer.publish;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.TopicSnapshot;

/** Reads the compacted model topics (models, active-model) from start to end, by partition, without a consumer group. */
final class TopicReads {

    private TopicReads() {}

    /** The topic as it is now; empty when it does not exist (no model was announced or switched on this cluster yet). */
    static Optional<TopicSnapshot> snapshot(KafkaClientConfig kafka, String topic, Duration timeout, BiPredicate<String, byte[]> usable) {
        try (Consumer<String, byte[]> consumer = consumer(kafka)) {
            if (consumer.partitionsFor(topic, timeout).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(TopicSnapshot.read(consumer, topic, timeout, usable));
        }
    }

    /** A consumer that commits nothing and never creates the topic it reads. */
    static Consumer<String, byte[]> consumer(KafkaClientConfig kafka) {
        return new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // reading must not create the topic on a broker that creates topics on demand
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
