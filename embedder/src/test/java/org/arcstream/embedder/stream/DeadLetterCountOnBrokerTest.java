package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.embedder.TestResources;
import org.arcstream.embedder.match.MatchThreshold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter count (the admin API's {@code deadLettered}, {@code arcstream_dead_letters_total}) counts the
 * letters Kafka took: a letter the dead-letter topic refuses is not counted.
 */
class DeadLetterCountOnBrokerTest {

    private static final TopicNames TOPICS = new TopicNames("count-frames", "count-faces", "count-matches", "count-dead-letter",
            "count-enrollment", "count-centroids");

    private Path work;
    private EmbeddedKafkaBroker broker;
    private FacePipelinePool pipelines;
    private KafkaProducer<String, byte[]> producer;
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final PipelineListener listener = new PipelineListener() {
        @Override
        public void onDeadLetter(String stage, String reason) {
            counted.add(stage + " " + reason);
        }
    };

    @BeforeEach
    void start() throws Exception {
        work = Files.createTempDirectory("dead-letter-count");
        broker = EmbeddedKafkaBroker.start();
        pipelines = new FacePipelinePool(FacePipelineConfig.from(Settings.load(null)));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        TestResources.closeAll(producer, pipelines, broker);
        FileTrees.delete(work);
    }

    @Test
    void aDeadLetterTheTopicRefusesIsNotCounted() throws Exception {
        EmbedderSettings settings = EmbedderSettings.defaults(broker.bootstrapServers(), FacePipelineConfig.from(Settings.load(null)), 0.38f)
                .withTopics(TOPICS).withApplicationId("dead-letter-count").withStateDir(work.resolve("state"));
        try (KafkaEmbedderRuntime embedder = KafkaEmbedderRuntime.start(settings, pipelines, new MatchThreshold(0.38f), listener)) {
            assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
            sendFrame("not an image, written");
            await("the first letter is counted", () -> counted.size() == 1);
            assertTrue(counted.get(0).startsWith("embed not-an-image:"), counted.toString());

            // the topic now takes less than any letter (but still the transaction markers of about 80 bytes): the
            // broker refuses the next letter, which stops the instance
            try (Admin admin = broker.admin()) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPICS.deadLetter()),
                        List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "150"), AlterConfigOp.OpType.SET))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            sendFrame("not an image, refused");
            await("the instance stopped on the refused letter", () -> !embedder.alive());
            assertFalse(embedder.alive());
            assertEquals(1, counted.size(), "only the letter Kafka took: " + counted);
        }
    }

    private void sendFrame(String text) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.frames(), "cam", text.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
