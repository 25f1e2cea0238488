package org.arcstream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    @Test
    void recordsGoInAndComeBackOutInOrder() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            broker.createTopics(Map.of("frames", 1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("frames", "cam-" + (i % 3), "frame-" + i));
                }
            }
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("frames"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 100 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertEquals(100, values.size());
            for (int i = 0; i < 100; i++) {
                assertEquals("frame-" + i, values.get(i));
            }
        }
    }

    @Test
    void aGivenDataDirectoryKeepsTopicsAcrossRestarts() throws Exception {
        Path dir = Files.createTempDirectory("broker-restart");
        try {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, false)) {
                broker.createTopics(Map.of("enrollment", 2));
            }
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, false); var admin = broker.admin()) {
                assertTrue(admin.listTopics().names().get().contains("enrollment"));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void aStoppedBrokerRestartsOnTheSameAddressWithItsRecords() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("frames", 1));
            // A Kafka 4 client that finds no broker reachable may at any moment fall back to its bootstrap servers
            // and forget the topics it knew (metadata.recovery.strategy=rebootstrap); send() then waits up to
            // max.block.ms for metadata instead of taking the record. Without that fallback the producer keeps
            // what it knew, so whether the record waits in it does not depend on when the fallback happens.
            Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("frames", "cam", "before")).get();
                broker.stop();
                // a record sent while the broker is down waits in the producer and goes out once it is back
                var pending = producer.send(new ProducerRecord<>("frames", "cam", "during"));
                assertFalse(pending.isDone());
                broker.restart();
                pending.get();
            }
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("frames"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 2 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertEquals(List.of("before", "during"), values);
        }
    }
}
