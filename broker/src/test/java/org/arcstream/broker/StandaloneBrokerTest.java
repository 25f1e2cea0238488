package org.arcstream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker in a JVM of its own: it announces its address, serves clients, stops cleanly on SIGTERM and keeps its data. */
class StandaloneBrokerTest {

    @TempDir
    Path dir;

    @Test
    void itServesClientsAtTheAddressItWritesAndStopsCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("data");
        Path address = dir.resolve("address");
        Process broker = start(data, address, dir.resolve("broker-1.log"));
        try {
            String bootstrap = awaitAddress(broker, address, dir.resolve("broker-1.log"));
            assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("frames", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("frames", "cam", "frame-0")).get(60, TimeUnit.SECONDS);
            }
            assertEquals(List.of("frame-0"), read(bootstrap));
        } finally {
            broker.destroy();
        }
        assertTrue(broker.waitFor(120, TimeUnit.SECONDS), "the broker did not stop on SIGTERM");
        String log = Files.readString(dir.resolve("broker-1.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains(StandaloneBroker.STOPPED), log);

        // its data is kept: a broker started again on it still has the topic and the record
        Files.delete(address);
        Process again = start(data, address, dir.resolve("broker-2.log"));
        try {
            String bootstrap = awaitAddress(again, address, dir.resolve("broker-2.log"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertEquals(Set.of("frames"), admin.listTopics().names().get(60, TimeUnit.SECONDS));
            }
            assertEquals(List.of("frame-0"), read(bootstrap));
        } finally {
            again.destroy();
            again.waitFor(120, TimeUnit.SECONDS);
        }
    }

    private static Process start(Path data, Path address, Path log) throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                StandaloneBroker.class.getName(), "--data-dir", data.toString(), "--address-file", address.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String awaitAddress(Process broker, Path address, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!Files.exists(address)) {
            if (!broker.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the broker wrote no address: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        String bootstrap = Files.readString(address, StandardCharsets.UTF_8);
        assertTrue(Files.readString(log).contains(StandaloneBroker.LISTENING + bootstrap));
        return bootstrap;
    }

    private static List<String> read(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("frames"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
