package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.embedder.TestResources;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.TopicNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records of the models and active-model topics that cannot be used, on a real broker: a start with
 * one of them on the topics succeeds, the watcher skips them (counted, logged) and keeps following
 * the topics. Seen on a standalone broker: an active-model value of {@code x} made every later start
 * exit until a valid record was appended.
 */
class ModelTopicsPoisonOnBrokerTest {

    private Path work;
    private EmbeddedKafkaBroker broker;
    private FacePipelinePool pipelines;
    private KafkaProducer<String, byte[]> producer;
    private final List<String> skipped = new CopyOnWriteArrayList<>();
    private final PipelineListener listener = new PipelineListener() {
        @Override
        public void onSkipped(String input, String reason) {
            skipped.add(input + " " + reason);
        }
    };

    @BeforeEach
    void start() throws Exception {
        work = Files.createTempDirectory("model-topics-poison");
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Map.of("models", 1, "active-model", 1));
        pipelines = new FacePipelinePool(FacePipelineConfig.from(Settings.load(null)));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        TestResources.closeAll(producer, pipelines, broker);
        FileTrees.delete(work);
    }

    private ModelSwitchboard switchboard() {
        return unstarted(broker.bootstrapServers()).start();
    }

    private ModelSwitchboard unstarted(String bootstrapServers) {
        HotSwapSettings settings = HotSwapSettings.defaults().withCacheDir(work.resolve("cache")).withAutoPromote(false);
        return new ModelSwitchboard(settings, bootstrapServers, TopicNames.defaults(), pipelines, () -> false, Clock.systemUTC(),
                listener);
    }

    @Test
    void aSwitchboardConnectsToNothingAndStartsNoThreadBeforeStart() {
        // nothing listens on port 1: a constructor that reached for Kafka would fail here (after a minute)
        Set<String> before = threadNames();
        try (ModelSwitchboard switchboard = unstarted("127.0.0.1:1")) {
            assertEquals(before, threadNames(), "threads started by the constructor");
            assertEquals(pipelines.modelVersion(), switchboard.activeVersion());
            assertTrue(switchboard.models().isEmpty(), "nothing read before start: " + switchboard.models());
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("model-") || n.startsWith("kafka-")).collect(Collectors.toSet());
    }

    @Test
    void anUnreadableActiveModelValueDoesNotStopAStartAndTheLatestReadableDecisionStands() throws Exception {
        // a decision naming versions this instance has not seen: it is kept, and waits for their events
        ActiveModel readable = ActiveModel.of("0123456789ab", "ba9876543210", "promoted", 1);
        send("active-model", ActiveModel.KEY, ActiveModelCodec.encode(readable));
        send("active-model", ActiveModel.KEY, text("x"));
        for (int start = 1; start <= 2; start++) {
            int before = skipped.size();
            try (ModelSwitchboard switchboard = switchboard()) {
                assertEquals(pipelines.modelVersion(), switchboard.activeVersion(), "start " + start + " embeds with its own model");
                assertEquals(Optional.of("ba9876543210"), switchboard.previousVersion(), "start " + start + " took the readable decision");
                await("the watcher skipped the value", () -> skipped.size() == before + 1);
                assertTrue(skipped.get(before).startsWith("active-model unreadable-active-model: "), skipped.get(before));
            }
        }
    }

    @Test
    void noRecordOfTheModelTopicsStopsTheWatcher() throws Exception {
        try (ModelSwitchboard switchboard = switchboard()) {
            // JSON null decodes to no object at all; before, it ended the watcher with a NullPointerException
            send("models", "0123456789ab", text("null"));
            send("models", "0123456789ab", text("x"));
            send("models", "0123456789ab", text("{\"v\":2,\"model_version\":\"ab\",\"sha256\":\"" + "ab".repeat(32)
                    + "\",\"location\":\"file:///m.onnx\",\"created_at\":1}"));
            send("models", "0123456789ab", text("{\"v\":1,\"model_version\":\"ab\",\"sha256\":\"" + "ab".repeat(32)
                    + "\",\"location\":\"file:///m.onnx\",\"metrics\":{\"auc\":null},\"created_at\":1}"));
            send("models", "k".repeat(200_000), text("[1,2,3]"));
            send("models", "0123456789ab", null); // a tombstone: nothing to skip
            send("models", null, new byte[] {(byte) 0xff, 0, 1});
            send("active-model", ActiveModel.KEY, text("null"));
            send("active-model", ActiveModel.KEY, text("{\"v\":2,\"active\":\"0123456789ab\"}"));
            send("active-model", "another-key", ActiveModelCodec.encode(ActiveModel.of("0123456789ab", null, "promoted", 1)));
            await("nine records skipped", () -> skipped.size() == 9);

            // the watcher still follows both topics
            ModelEvent event = ModelEvent.of("cd".repeat(32), null, "file:///nowhere/model.onnx", Map.of(), 2);
            send("models", event.modelVersion(), ModelEventCodec.encode(event));
            send("active-model", ActiveModel.KEY, ActiveModelCodec.encode(ActiveModel.of("fedcba987654", "0a0b0c0d0e0f", "promoted", 3)));
            await("the valid event is known", () -> switchboard.models().stream().anyMatch(m -> m.version().equals(event.modelVersion())));
            await("the valid decision is read", () -> switchboard.previousVersion().equals(Optional.of("0a0b0c0d0e0f")));
            assertEquals(9, skipped.size(), skipped.toString());
            assertEquals(6, skipped.stream().filter(s -> s.startsWith("models unreadable-model-event: ")).count(), skipped.toString());
            assertEquals(3, skipped.stream().filter(s -> s.startsWith("active-model unreadable-active-model: ")).count(), skipped.toString());
        }
    }

    private void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
