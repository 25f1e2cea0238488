package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.health.HealthStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.admin.StreamHealthIndicator;
import org.arcstream.embedder.admin.StreamLivenessIndicator;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.kafka.KafkaClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The embedder as the service runs it (its own exception handler and health), on a broker that goes down
 * for longer than the task timeout, and on a stream that dies for good.
 */
class EmbedderOutageOnBrokerTest {

    private static final MatchThreshold THRESHOLD = new MatchThreshold(0.38f);

    private static FacePipelineConfig config;
    private static Path stateDir;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static List<Path> images;

    @BeforeAll
    static void start() throws Exception {
        images = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            images.add(EmbedderTopologyTest.lfw("Colin_Powell", n));
        }
        config = FacePipelineConfig.from(Settings.load(null));
        stateDir = Files.createTempDirectory("embedder-outage");
        broker = EmbeddedKafkaBroker.start();
        pipelines = new FacePipelinePool(config);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {pipelines, broker}) {
            if (c != null) {
                c.close();
            }
        }
        FileTrees.delete(stateDir);
    }

    private static EmbedderSettings settings(String name) {
        TopicNames topics = new TopicNames(name + "-frames", name + "-faces", name + "-matches", name + "-dead-letter",
                name + "-enrollment", name + "-centroids");
        EmbedderTopics.ensure(KafkaClientConfig.of(broker.bootstrapServers()), topics);
        // a task gives up on the cluster after 2 s instead of 5 minutes, so that the outage outlasts it quickly
        return EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                .withApplicationId("embedder-" + name).withTopics(topics).withStateDir(stateDir.resolve(name))
                .withFailover(new FailoverSettings(FailoverSettings.DEFAULT_SESSION_TIMEOUT, "", Duration.ofSeconds(2)));
    }

    @Test
    void aBrokerDownLongerThanTheTaskTimeoutTurnsReadinessDownAndTheStreamResumesByItself() throws Exception {
        EmbedderSettings settings = settings("outage");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try (KafkaEmbedderRuntime runtime = KafkaEmbedderRuntime.start(settings, pipelines, THRESHOLD, PipelineListener.NONE);
                KafkaProducer<String, byte[]> producer = producer();
                KafkaConsumer<String, byte[]> matches = matchReader(settings)) {
            assertTrue(runtime.awaitReady(Duration.ofSeconds(60)), "ready");
            Map<Long, Integer> matchesPerFrame = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                send(producer, settings, i);
            }
            countUntil(matches, matchesPerFrame, 3);

            log.start();
            root.addAppender(log);
            // frames the stream is still working on when the broker goes: their results wait for it
            send(producer, settings, 3);
            send(producer, settings, 4);
            broker.stop();
            await(() -> !runtime.ready(), "readiness DOWN while the broker is down");
            assertEquals(HealthStatus.DOWN, Mono.from(new StreamHealthIndicator(runtime).getResult()).block().getStatus());
            // several task timeouts long: the stream threads give up on the cluster and are replaced
            Thread.sleep(8_000);
            assertTrue(runtime.alive(), "alive during the outage: " + runtime.state());
            assertEquals(HealthStatus.UP, Mono.from(new StreamLivenessIndicator(runtime).getResult()).block().getStatus());
            broker.restart();
            await(runtime::ready, "ready again once the broker is back");
            root.detachAppender(log);

            for (int i = 5; i < images.size(); i++) {
                send(producer, settings, i);
            }
            countUntil(matches, matchesPerFrame, images.size());
            assertEquals(images.size(), matchesPerFrame.size(), "every frame matched: " + matchesPerFrame);
            matchesPerFrame.forEach((frame, n) -> assertEquals(1, n, "matches of frame " + frame));
            assertTrue(runtime.alive());
        }
        List<String> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        long connectionWarnings = warnings.stream().filter(w -> w.startsWith("org.apache.kafka.clients.NetworkClient")).count();
        assertTrue(connectionWarnings <= 1, "Kafka's connection warnings collapse to one a minute: " + warnings);
        assertEquals(1, warnings.stream().filter(w -> w.contains("is unreachable")).count(), "one line when Kafka goes: " + warnings);
        assertEquals(1, log.list.stream().filter(e -> e.getFormattedMessage().contains("reachable again")).count(), "one line when it is back");
        // Kafka's producer warns once per partition with a write in flight and per error (not the leader, stale
        // metadata, then the transaction coordinator still loading after the restart): about a dozen lines at
        // the three partitions the stream writes here, depending on what was in flight; a flood would be a line
        // per reconnect attempt, hundreds over the outage
        assertTrue(warnings.size() <= 16, "a readable outage log: " + warnings);
    }

    @Test
    void livenessTurnsDownWhenTheStreamHasStoppedForGood() throws Exception {
        EmbedderSettings settings = settings("dies");
        try (KafkaEmbedderRuntime runtime = KafkaEmbedderRuntime.start(settings, pipelines, THRESHOLD, PipelineListener.NONE)) {
            assertTrue(runtime.awaitReady(Duration.ofSeconds(60)), "ready");
            assertEquals(HealthStatus.UP, Mono.from(new StreamLivenessIndicator(runtime).getResult()).block().getStatus());
            // a source topic deleted under the running stream is nothing a new thread can fix
            try (Admin admin = broker.admin()) {
                admin.deleteTopics(List.of(settings.topics().frames())).all().get();
            }
            await(() -> !runtime.alive(), "liveness DOWN once the stream has died");
            assertEquals(HealthStatus.DOWN, Mono.from(new StreamLivenessIndicator(runtime).getResult()).block().getStatus());
            assertFalse(runtime.ready());
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> matchReader(EmbedderSettings settings) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "counter-" + settings.applicationId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(settings.topics().matches()));
        return consumer;
    }

    private static void send(KafkaProducer<String, byte[]> producer, EmbedderSettings settings, int sequence) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(sequence));
        producer.send(new ProducerRecord<>(settings.topics().frames(), null, "cam", Files.readAllBytes(images.get(sequence)), headers)).get();
    }

    /** Best-face matches per frame, until {@code frames} frames have one (and a further poll for duplicates). */
    private static void countUntil(KafkaConsumer<String, byte[]> consumer, Map<Long, Integer> matchesPerFrame, int frames) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (matchesPerFrame.size() < frames && System.currentTimeMillis() < deadline) {
            poll(consumer, matchesPerFrame, 200);
        }
        poll(consumer, matchesPerFrame, 500);
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, Map<Long, Integer> matchesPerFrame, long millis) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(millis))) {
            MatchRecord m = MatchCodec.decode(r.value());
            if (m.face() == 0) {
                matchesPerFrame.merge(m.sequence(), 1, Integer::sum);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
