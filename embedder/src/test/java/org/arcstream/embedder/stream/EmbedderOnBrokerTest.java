package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.MatchResult;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollCommand;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.gallery.IdentityInfo;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.arcstream.ingest.topics.FrameHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The embedder on a real in-process broker with exactly-once processing: the LFW sample enrolled
 * through the enrollment topic (5 images per identity), the other 50 images streamed as frames over
 * two partitions, compared with the batch path; then an identity deleted while the stream runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbedderOnBrokerTest {

    private static final float THRESHOLD = 0.38f;

    private static Path stateDir;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelineConfig config;
    private static FacePipelinePool pipelines;
    private static KafkaEmbedderRuntime embedder;
    private static Map<String, List<Path>> lfw;
    private static final Map<String, List<Path>> enrolled = new TreeMap<>();
    private static final Map<String, List<Path>> streamed = new TreeMap<>();
    private static KafkaConsumer<String, byte[]> consumer;
    private static KafkaProducer<String, byte[]> producer;
    private static int sequence;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        lfw = Enroller.scan(dir).stream().collect(Collectors.groupingBy(Enroller.GalleryImage::identity, TreeMap::new,
                Collectors.mapping(Enroller.GalleryImage::file, Collectors.toList())));
        config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        stateDir = Files.createTempDirectory("embedder-it");
        broker = EmbeddedKafkaBroker.start();
        TopicNames topics = TopicNames.defaults();
        // several frames partitions (tasks), each of which must see every identity; four, so that a
        // second instance is sure to get some of them
        broker.createTopics(Map.of(topics.frames(), 4, topics.matches(), 2));
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("embedder-it").withStateDir(stateDir), pipelines, new MatchThreshold(THRESHOLD), PipelineListener.NONE);
        assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());

        // the first five images of each identity that show exactly one face (one Tony Blair image shows two)
        for (var e : lfw.entrySet()) {
            List<Path> accepted = new ArrayList<>();
            List<Path> candidates = e.getValue();
            int next = 0;
            while (accepted.size() < 5 && next < candidates.size()) {
                List<Path> chunk = candidates.subList(next, Math.min(candidates.size(), next + 5 - accepted.size()));
                next += chunk.size();
                List<EnrollImage> images = new ArrayList<>();
                for (Path file : chunk) {
                    images.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
                }
                EnrollOutcome outcome = embedder.gallery().enroll(e.getKey(), e.getKey().replace('_', ' '), images, OptionalInt.empty());
                List<String> rejected = outcome.rejected().stream().map(EnrollOutcome.Rejection::source).toList();
                chunk.stream().filter(f -> !rejected.contains(f.toString())).forEach(accepted::add);
            }
            enrolled.put(e.getKey(), accepted);
            streamed.put(e.getKey(), candidates.stream().filter(f -> !accepted.contains(f)).toList());
        }
        awaitGallery(g -> g.identities().size() == lfw.size() && g.identities().stream().allMatch(i -> i.samples() == 5));

        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.matches(), topics.deadLetter()));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {producer, consumer, embedder, pipelines, broker}) {
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

    private static void awaitGallery(java.util.function.Predicate<GalleryService> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.test(embedder.gallery())) {
            assertTrue(System.currentTimeMillis() < deadline, "gallery did not reach the expected state: " + embedder.gallery().identities());
            Thread.sleep(50);
        }
    }

    /** Sends a frame to the given partition; returns its sequence number. */
    private static long send(Path image, int partition, String label) throws Exception {
        long seq = sequence++;
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.CAMERA, "cam-" + partition);
        FrameHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(seq));
        FrameHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
        FrameHeaders.put(headers, "label", label);
        producer.send(new ProducerRecord<>(TopicNames.defaults().frames(), partition, "cam-" + partition, Files.readAllBytes(image), headers))
                .get();
        return seq;
    }

    @Test
    @Order(1)
    void everyStreamedLfwFaceIsRecognizedExactlyOnceAndAsTheBatchPathDoes() throws Exception {
        Map<Long, Path> frames = new HashMap<>();
        int i = 0;
        for (var e : streamed.entrySet()) {
            for (Path file : e.getValue()) {
                frames.put(send(file, i++ % 2, e.getKey()), file);
            }
        }
        producer.send(new ProducerRecord<>(TopicNames.defaults().frames(), 0, "cam-0", "broken".getBytes())).get();
        assertEquals(50, frames.size());

        Map<Long, MatchRecord> best = new HashMap<>();
        Map<String, Integer> perFace = new HashMap<>();
        List<String> deadLetters = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while ((best.size() < frames.size() || deadLetters.isEmpty()) && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                if (r.topic().equals(TopicNames.defaults().deadLetter())) {
                    deadLetters.add(FrameHeaders.string(r.headers(), DeadLetters.REASON));
                    continue;
                }
                MatchRecord m = MatchCodec.decode(r.value());
                perFace.merge(m.sequence() + "/" + m.face(), 1, Integer::sum);
                if (m.face() == 0) {
                    assertEquals(FrameHeaders.string(r.headers(), "label"), m.identity(), "frame " + m.sequence());
                    best.put(m.sequence(), m);
                }
            }
        }
        // nothing more arrives once everything is in: no duplicates
        consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
            throw new AssertionError("unexpected extra record on " + r.topic());
        });
        assertEquals(frames.keySet(), best.keySet(), "every frame matched");
        perFace.forEach((face, count) -> assertEquals(1, count, "matches of face " + face));
        assertEquals(1, deadLetters.size());
        assertTrue(deadLetters.get(0).startsWith("not-an-image"), deadLetters.get(0));

        // the batch path on the same split: best face of each image, centroids of the first five
        FacePipeline pipeline = pipelines.borrow();
        try {
            Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
            for (var e : enrolled.entrySet()) {
                List<float[]> samples = new ArrayList<>();
                for (Path file : e.getValue()) {
                    samples.add(pipeline.bestFace(pipeline.decoder().decode(file)).orElseThrow().embedding());
                }
                gallery.put(new Identity(e.getKey(), e.getKey()), samples);
            }
            CentroidIndex index = CentroidIndex.build(gallery, 1);
            for (var e : frames.entrySet()) {
                MatchResult batch = index.match(pipeline.bestFace(pipeline.decoder().decode(e.getValue())).orElseThrow().embedding(), THRESHOLD);
                MatchRecord stream = best.get(e.getKey());
                assertEquals(batch.identity().id(), stream.identity(), e.getValue().toString());
                assertEquals(batch.score(), stream.score(), 1e-4, e.getValue().toString());
                assertEquals(batch.runnerUpScore(), stream.runnerUpScore(), 1e-4, e.getValue().toString());
            }
        } finally {
            pipelines.release(pipeline);
        }
    }

    @Test
    @Order(2)
    void aDeletedIdentityLeavesMatchingWhileTheStreamRuns() throws Exception {
        String putin = "Vladimir_Putin";
        IdentityInfo before = embedder.gallery().identity(putin).orElseThrow();
        assertEquals(5, before.samples());
        assertTrue(embedder.gallery().delete(putin));
        assertTrue(embedder.gallery().identity(putin).isEmpty(), "delete returns once the matcher's store no longer has it");
        assertEquals(lfw.size() - 1, embedder.gallery().identities().size());

        long seq = send(streamed.get(putin).get(4), 1, putin);
        MatchRecord match = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (match == null && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                MatchRecord m = MatchCodec.decode(r.value());
                if (m.sequence() == seq && m.face() == 0) {
                    match = m;
                }
            }
        }
        assertTrue(match != null, "frame matched");
        assertEquals(MatchRecord.UNKNOWN, match.identity());
    }

    @Test
    @Order(3)
    void theEnrollCommandWritesAGalleryFolderThatTheRunningStreamPicksUp(@TempDir Path gallery) throws Exception {
        Path person = Files.createDirectories(gallery.resolve("cli-person"));
        Files.copy(lfw.get("Jacques_Chirac").get(0), person.resolve("a.jpg"));
        Files.copy(lfw.get("Jacques_Chirac").get(1), person.resolve("b.jpg"));
        Files.writeString(person.resolve("broken.jpg"), "not an image");
        int exit = new CommandLine(new EnrollCommand()).execute("--bootstrap-servers", broker.bootstrapServers(), "--gallery", gallery.toString());
        assertEquals(0, exit);
        // the samples reach the matcher one by one: wait for both (a third never comes: the test would time out)
        awaitGallery(g -> g.identity("cli-person").filter(i -> i.samples() >= 2).isPresent());
        IdentityInfo info = embedder.gallery().identity("cli-person").orElseThrow();
        assertEquals(2, info.samples(), "the broken image is rejected, the others enrolled");
        assertEquals("cli-person", info.name());
    }
    /**
     * A second instance of the application joins: the frames partitions are shared out between the two,
     * every frame is still matched once and correctly, and the newcomer's global store holds the same
     * gallery as the first instance's.
     */
    @Test
    @Order(4)
    void aSecondInstanceTakesSomeFramesPartitionsAndMatchesAsTheFirstDoes() throws Exception {
        RecordingListener second = new RecordingListener();
        EmbedderSettings settings = EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("embedder-it").withStateDir(stateDir.resolve("second-instance"));
        Map<Long, String> expected = new HashMap<>();
        Map<Long, String> matched = new HashMap<>();
        Map<String, Integer> perFace = new HashMap<>();
        try (KafkaEmbedderRuntime two = KafkaEmbedderRuntime.start(settings, pipelines, new MatchThreshold(THRESHOLD), second)) {
            assertTrue(two.awaitReady(Duration.ofMinutes(1)), "second instance ready, state " + two.state());
            assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "first instance ready again, state " + embedder.state());
            int i = 0;
            for (var e : streamed.entrySet()) {
                if (embedder.gallery().identity(e.getKey()).isEmpty()) {
                    continue; // deleted above
                }
                for (Path file : e.getValue()) {
                    expected.put(send(file, i++ % 4, e.getKey()), e.getKey());
                }
            }
            long deadline = System.currentTimeMillis() + 120_000;
            while (matched.size() < expected.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    MatchRecord m = MatchCodec.decode(r.value());
                    perFace.merge(m.sequence() + "/" + m.face(), 1, Integer::sum);
                    if (m.face() == 0) {
                        matched.put(m.sequence(), m.identity());
                    }
                }
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                throw new AssertionError("unexpected extra record on " + r.topic());
            });
            assertEquals(ids(embedder.gallery()), ids(two.gallery()), "both instances see the same gallery");
        }
        assertEquals(expected, matched, "every frame matched, as the person shown");
        perFace.forEach((face, count) -> assertEquals(1, count, "matches of face " + face));
        assertTrue(second.frames.get() > 0 && second.frames.get() < expected.size(),
                "the frames were shared: the second instance read " + second.frames.get() + " of " + expected.size());
    }

    private static List<String> ids(GalleryService gallery) {
        return gallery.identities().stream().map(IdentityInfo::id).sorted().toList();
    }
}
