package org.arcstream.embedder.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.KafkaTopics;

/** Writes operators' labels to the labels topic, keyed by camera; creates the topic on first use when missing. */
public final class LabelWriter implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClientConfig kafka;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    public LabelWriter(KafkaClientConfig kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    /** Sends the label and waits for Kafka's acknowledgement. */
    public synchronized void write(LabelRecord label) throws ExecutionException, InterruptedException, TimeoutException {
        if (producer == null) {
            try (Admin admin = Admin.create(kafka.clientConfig())) {
                KafkaTopics.createMissing(admin, List.of(new NewTopic(topic, Optional.empty(), Optional.empty())), TIMEOUT);
            }
            producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "arcstream-console-labels")), new StringSerializer(), new ByteArraySerializer());
        }
        byte[] value;
        try {
            value = JSON.writeValueAsString(label).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a label record always serializes", e);
        }
        producer.send(new ProducerRecord<>(topic, label.camera(), value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
