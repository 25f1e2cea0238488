package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Optional;
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
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.MatchResult;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollCommand;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.gallery.IdentityInfo;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

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
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "cam-" + partition);
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(seq));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
        FrameRecordHeaders.put(headers, "label", label);
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
                    deadLetters.add(FrameRecordHeaders.string(r.headers(), DeadLetters.REASON));
                    continue;
                }
                MatchRecord m = MatchCodec.decode(r.value());
                perFace.merge(m.sequence() + "/" + m.face(), 1, Integer::sum);
                if (m.face() == 0) {
                    assertEquals(FrameRecordHeaders.string(r.headers(), "label"), m.identity(), "frame " + m.sequence());
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

    /** What a command run printed on stdout and stderr, and its exit code. */
    private record Printed(int exit, String out, String err) {}

    private static Printed enroll(String... args) {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        int exit = CommandLines.create(new EnrollCommand()).setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true)).execute(args);
        return new Printed(exit, out.toString(), err.toString());
    }

    private static long recordsIn(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = c.partitionsFor(topic).stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return c.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The enroll command returns only once matching sees every sample it accepted. Its topics belong to an
     * embedder that starts only after the samples are written: the command must still be waiting then, and
     * once it returns, that embedder's matcher has every sample. Unreadable images are named and fail the run;
     * notes beside the images are left out silently.
     */
    @Test
    @Order(3)
    void theEnrollCommandReturnsOnlyOnceMatchingSeesEverySample(@TempDir Path gallery) throws Exception {
        Path person = Files.createDirectories(gallery.resolve("cli-person"));
        for (int i = 0; i < 3; i++) {
            Files.copy(lfw.get("Jacques_Chirac").get(i), person.resolve(i + ".jpg"));
        }
        Files.writeString(person.resolve("broken.jpg"), "not an image");
        Files.write(person.resolve("photo.webp"), new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'});
        Files.writeString(person.resolve("README.md"), "who is who");
        TopicNames late = new TopicNames("frames-late", "faces-late", "matches-late", "dead-letter-late", "enrollment-late", "centroids-late");

        java.util.concurrent.CompletableFuture<Printed> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> enroll(
                "--bootstrap-servers", broker.bootstrapServers(), "--gallery", gallery.toString(),
                "--topic", late.enrollment(), "--centroids-topic", late.centroids()));
        long deadline = System.currentTimeMillis() + 120_000;
        while (!run.isDone() && recordsIn(late.enrollment()) < 3) {
            assertTrue(System.currentTimeMillis() < deadline, "the samples were not written");
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        assertFalse(run.isDone(), "the command returned before any embedder had seen its samples: " + (run.isDone() ? run.get() : ""));

        EmbedderSettings settings = EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD).withTopics(late)
                .withApplicationId("embedder-late").withStateDir(stateDir.resolve("late"));
        try (KafkaEmbedderRuntime lateEmbedder = KafkaEmbedderRuntime.start(settings, pipelines, new MatchThreshold(THRESHOLD), PipelineListener.NONE)) {
            Printed r = run.get(3, java.util.concurrent.TimeUnit.MINUTES);
            // at once: the matcher's store is a copy of the centroids topic the command waited for (give it one poll)
            Optional<IdentityInfo> seen = Optional.empty();
            for (long until = System.currentTimeMillis() + 500; System.currentTimeMillis() < until; Thread.sleep(10)) {
                seen = lateEmbedder.gallery().identity("cli-person").filter(i -> i.samples() == 3);
                if (seen.isPresent()) {
                    break;
                }
            }
            assertEquals(3, seen.map(IdentityInfo::samples).orElse(0), "samples matched against when enroll returned: " + r);
            assertEquals("cli-person", seen.get().name());
            assertEquals(1, r.exit(), "unreadable images fail the run: " + r);
            assertTrue(r.out().contains("cli-person: 3 enrolled, 0 rejected, 2 unreadable"), r.out());
            assertTrue(r.out().contains("3 images enrolled, 0 rejected, 2 unreadable, 1 identities, topic enrollment-late, visible to matching"), r.out());
            assertTrue(r.err().contains(person.resolve("broken.jpg") + ": "), r.err());
            assertTrue(r.err().contains(person.resolve("photo.webp") + ": "), r.err());
            assertFalse(r.err().contains("README"), r.err());
        }
    }

    /** Without an embedder on its topics: --no-wait returns at once, the wait fails after its timeout naming the cause. */
    @Test
    @Order(5)
    void theEnrollCommandSaysWhenMatchingDoesNotSeeTheSamplesInTime(@TempDir Path gallery) throws Exception {
        Path person = Files.createDirectories(gallery.resolve("nobody-reads"));
        Files.copy(lfw.get("Hugo_Chavez").get(0), person.resolve("a.jpg"));
        String[] common = {"--bootstrap-servers", broker.bootstrapServers(), "--gallery", gallery.toString(),
                "--topic", "enrollment-unread", "--centroids-topic", "centroids-unread", "--active-model-topic", "active-model-unread"};

        Printed noWait = enroll(concat(common, "--no-wait"));
        assertEquals(0, noWait.exit(), noWait.toString());
        assertTrue(noWait.out().contains("1 images enrolled, 0 rejected, 0 unreadable, 1 identities, topic enrollment-unread, not waited for"),
                noWait.out());

        Printed timedOut = enroll(concat(common, "--wait-timeout", "2"));
        assertEquals(1, timedOut.exit(), timedOut.toString());
        assertTrue(timedOut.out().contains("NOT yet visible to matching"), timedOut.out());
        assertTrue(timedOut.err().contains("after 2 s the centroids (topic centroids-unread) do not show all of them for 1 of 1 identities "
                + "(nobody-reads: none sample(s) visible): is an embedder running against " + broker.bootstrapServers()), timedOut.err());

        // the embedders match with another model: nothing is written, the wait could never succeed
        broker.createTopics(Map.of("active-model-unread", 1));
        producer.send(new ProducerRecord<>("active-model-unread", ActiveModel.KEY,
                ActiveModelCodec.encode(ActiveModel.of("0123456789ab", null, "promoted", 0)))).get();
        long before = recordsIn("enrollment-unread");
        Printed otherModel = enroll(common);
        assertEquals(1, otherModel.exit(), otherModel.toString());
        assertTrue(otherModel.err().startsWith("arcstream enroll: the embedders match with model 0123456789ab"), otherModel.err());
        assertEquals(before, recordsIn("enrollment-unread"), "nothing written");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
