package org.arcstream.embedder.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;

/** The lag gauge reads the fetch metrics of the application's stream-thread consumers from a real broker. */
class StreamsConsumerLagMetricsTest {

    private static final String TOPIC = "frames";
    private static final int RECORDS = 20;

    @Test
    void reportsTheLagOfTheApplicationsStreamConsumersOnly() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of(TOPIC, 1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "gate-1", "frame " + i));
                }
                producer.flush();
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            StreamsConsumerLagMetrics lag = new StreamsConsumerLagMetrics("lag-app");
            lag.bindTo(registry);
            assertTrue(Double.isNaN(lag.maxLag()), "no consumer yet");

            // Kafka's records-lag-max is the largest lag over a time window, so each consumer starts where
            // it should end up: the restore consumer and another application's consumer far behind,
            // the application's stream consumer near the end
            try (var restore = consumer(broker, "lag-app-1234-StreamThread-1-restore-consumer", 0);
                 var other = consumer(broker, "other-app-1234-StreamThread-1-consumer", 0);
                 var stream = consumer(broker, "lag-app-1234-StreamThread-1-consumer", RECORDS - 3)) {
                read(restore, 1);
                read(other, 1);
                read(stream, 1);
                double behind = lag.maxLag();
                assertTrue(behind >= 1 && behind <= 3, "the stream consumer's lag, not the others': " + behind);
                assertEquals(behind, registry.get(StreamsConsumerLagMetrics.METRIC).tag("application", "lag-app").gauge().value());
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker broker, String clientId, long startOffset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // one record per poll, so that a consumer can be left behind
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));
        consumer.seek(partition, startOffset);
        return consumer;
    }

    /** Polls until {@code count} records were read; returns the count. */
    private static int read(KafkaConsumer<String, String> consumer, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int read = 0;
        while (read < count) {
            read += consumer.poll(Duration.ofMillis(200)).count();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + read + " of " + count + " records arrived");
            }
        }
        return read;
    }
}
