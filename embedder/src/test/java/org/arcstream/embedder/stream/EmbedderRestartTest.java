package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping or crashing the embedder in the middle of a stream, with faces waiting for their
 * embedding batch, neither loses nor repeats a match (exactly-once).
 */
class EmbedderRestartTest {

    private static final MatchThreshold THRESHOLD = new MatchThreshold(0.38f);

    private static FacePipelineConfig config;
    private static Path stateDir;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static KafkaProducer<String, byte[]> producer;
    private static List<Path> images;

    @BeforeAll
    static void start() throws Exception {
        images = new ArrayList<>();
        for (String person : List.of("Colin_Powell", "Tony_Blair", "Hugo_Chavez")) {
            for (int n = 1; n <= 10; n++) {
                images.add(EmbedderTopologyTest.lfw(person, n));
            }
        }
        config = FacePipelineConfig.from(Settings.load(null));
        stateDir = Files.createTempDirectory("embedder-restart");
        broker = EmbeddedKafkaBroker.start();
        pipelines = new FacePipelinePool(config);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {producer, pipelines, broker}) {
            if (c != null) {
                c.close();
            }
        }
        if (stateDir != null) {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Settings of one test: its own topics and application id on the shared broker. */
    private static EmbedderSettings settings(String name) {
        TopicNames topics = new TopicNames(name + "-frames", name + "-faces", name + "-matches", name + "-dead-letter",
                name + "-enrollment", name + "-centroids");
        EmbedderSettings settings = EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                .withApplicationId("embedder-" + name).withTopics(topics).withStateDir(stateDir.resolve(name));
        EmbedderTopics.ensure(broker.clientConfig(), topics);
        return settings;
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

    @Test
    void aRestartWithAHalfFilledBatchGivesExactlyOneMatchPerFace() throws Exception {
        EmbedderSettings settings = settings("restart");
        Map<String, Integer> matchesPerFace = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = matchReader(settings)) {
            // first instance: batches flush by count only (the frames come one at a time, so the stream is idle between
            // them, as a busy one is not), so faces are left waiting when it stops
            RecordingListener first = new RecordingListener();
            KafkaStreams one = new KafkaStreams(EmbedderTopology.build(settings.withBatch(8, Duration.ofMinutes(5))
                    .withBatchFlushWhenIdle(false), pipelines, THRESHOLD, first),
                    properties(settings));
            one.start();
            int sent = 0;
            while (first.facesEmbedded.get() < 8 || first.pendingFaces() == 0) {
                assertTrue(sent < images.size(), "ran out of frames before a batch was half full");
                send(settings, images.get(sent), sent++);
                int expected = sent;
                await(() -> first.frames.get() == expected, "frame " + expected + " located");
            }
            // leave the group on the way out, as a rolling restart does, so the successor takes over at once
            one.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            int waitingAtStop = first.pendingFaces();
            assertTrue(waitingAtStop > 0 && sent < images.size(), "stopped mid-stream after " + sent + " frames with " + waitingAtStop
                    + " faces waiting");

            for (int i = sent; i < images.size(); i++) {
                send(settings, images.get(i), i);
            }
            RecordingListener second = new RecordingListener();
            try (KafkaStreams two = new KafkaStreams(EmbedderTopology.build(settings, pipelines, THRESHOLD, second), properties(settings))) {
                two.start();
                countUntilEveryFrameMatched(consumer, matchesPerFace);
            }
            assertExactlyOnce(matchesPerFace);
            assertEquals(first.facesLocated.get() + second.facesLocated.get(), matchesPerFace.size(), "every located face matched");
            assertEquals(images.size() - sent, second.frames.get(), "the successor reads only the frames after the stop");
            assertEquals(second.facesLocated.get() + waitingAtStop, second.facesEmbedded.get(),
                    "the successor embeds the faces that were waiting, without locating them again");
        }
    }

    @Test
    void aCrashInTheMiddleOfABatchGivesExactlyOneMatchPerFace() throws Exception {
        crashInTheMiddleOfABatch("crash", null);
    }

    @Test
    void aCrashWithBatchesOnTheEmbeddingWorkerGivesExactlyOneMatchPerFace() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            crashInTheMiddleOfABatch("crash-worker", worker);
        } finally {
            worker.shutdown();
        }
    }

    /** @param embedding the frames task's embedding worker, or null to embed on the stream thread */
    private void crashInTheMiddleOfABatch(String name, Executor embedding) throws Exception {
        // full batches only, as on a busy stream: the crash then lands while a frame is being processed
        EmbedderSettings settings = settings(name).withBatch(8, Duration.ofSeconds(5)).withBatchFlushWhenIdle(false);
        for (int i = 0; i < images.size(); i++) {
            send(settings, images.get(i), i);
        }
        // the thread dies after embedding its second batch, before emitting it: an uncommitted
        // transaction with faces of earlier, committed frames waiting in the store (with a worker: some of them on it)
        AtomicBoolean crashed = new AtomicBoolean();
        RecordingListener listener = new RecordingListener() {
            @Override
            public void onBatch(int faces, long inferenceNanos) {
                super.onBatch(faces, inferenceNanos);
                if (batches.size() == 2 && crashed.compareAndSet(false, true)) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        Map<String, Integer> matchesPerFace = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = matchReader(settings);
                KafkaStreams streams = new KafkaStreams(EmbedderTopology.build(settings, properties(settings), Integer.MAX_VALUE,
                        EmbedderTopics.COMPACTED_SEGMENT, pipelines, THRESHOLD, listener, embedding), properties(settings))) {
            // a crashed thread is replaced; under exactly-once its open transaction is aborted and its state restored
            streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
            streams.start();
            countUntilEveryFrameMatched(consumer, matchesPerFace);
        }
        assertTrue(crashed.get(), "the crash happened");
        assertTrue(listener.frames.get() > images.size(), "the frame being processed at the crash was read again");
        assertExactlyOnce(matchesPerFace);
    }

    private static Properties properties(EmbedderSettings settings) {
        Properties props = EmbedderTopology.streamsProperties(settings);
        // one frame per poll, so the stop lands between frames
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1);
        // a crashed thread does not leave the group: its successor gets the task once the session expires
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        return props;
    }

    private static void send(EmbedderSettings settings, Path image, int sequence) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(sequence));
        producer.send(new ProducerRecord<>(settings.topics().frames(), null, "cam", Files.readAllBytes(image), headers)).get();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(10);
        }
    }

    private static void countUntilEveryFrameMatched(KafkaConsumer<String, byte[]> consumer, Map<String, Integer> matchesPerFace) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (bestFaces(matchesPerFace) < images.size() && System.currentTimeMillis() < deadline) {
            count(consumer, matchesPerFace);
        }
        // anything still to come would be a duplicate
        count(consumer, matchesPerFace);
    }

    private static void assertExactlyOnce(Map<String, Integer> matchesPerFace) {
        assertEquals(images.size(), bestFaces(matchesPerFace), "every frame matched");
        matchesPerFace.forEach((face, n) -> assertEquals(1, n, "matches of face " + face));
    }

    private static long bestFaces(Map<String, Integer> matchesPerFace) {
        return matchesPerFace.keySet().stream().filter(k -> k.endsWith("/0")).count();
    }

    private static void count(KafkaConsumer<String, byte[]> consumer, Map<String, Integer> matchesPerFace) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            MatchRecord m = MatchCodec.decode(r.value());
            matchesPerFace.merge(m.sequence() + "/" + m.face(), 1, Integer::sum);
        }
    }
}
