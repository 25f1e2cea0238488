package org.arcstream.embedder.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.admin.AdminPipelineListener;
import org.arcstream.embedder.admin.PipelineMetrics;
import org.arcstream.embedder.admin.RecentMatches;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.EmbedderTopics;
import org.arcstream.embedder.stream.LearningSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The deletion guarantees of the README ("Deleting a person") on a real in-process broker whose topics have
 * the shipped settings scaled down in time (compacted topics: an hour becomes a second; time-retained
 * topics: a day becomes a second), with a log cleaner and a retention check that look for work often.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeletionOnBrokerTest {

    private static final float THRESHOLD = 0.38f;
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final String GONE = "George_W_Bush";
    private static final String KEPT = "Colin_Powell";
    /** Confident matches are kept as training samples, each one (no interval). */
    private static final LearningSettings LEARNING = new LearningSettings(true, 0.6f, 0.15f, 5, Duration.ZERO);

    private static Path stateDir;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static KafkaEmbedderRuntime embedder;
    private static KafkaProducer<String, byte[]> producer;
    private static Map<String, List<Path>> lfw;
    /** What {@code GET /admin/matches} lists, fed by the stream as in the service. */
    private static final RecentMatches RECENT = new RecentMatches(100);

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        lfw = Enroller.scan(dir).stream().collect(Collectors.groupingBy(Enroller.GalleryImage::identity, TreeMap::new,
                Collectors.mapping(Enroller.GalleryImage::file, Collectors.toList())));
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        stateDir = Files.createTempDirectory("deletion-it");
        broker = EmbeddedKafkaBroker.start(Map.of("log.cleaner.backoff.ms", "200", "log.retention.check.interval.ms", "500"));
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPICS.enrollment(), 1, (short) 1).configs(scaled(EmbedderTopics.COMPACTED, 3600)),
                    new NewTopic(TOPICS.centroids(), 1, (short) 1).configs(scaled(EmbedderTopics.COMPACTED, 3600)),
                    new NewTopic(TOPICS.recognitions(), 2, (short) 1).configs(scaled(EmbedderTopics.COMPACTED, 3600)))).all().get();
        }
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("deletion-it").withStateDir(stateDir).withLearning(LEARNING), pipelines, new MatchThreshold(THRESHOLD),
                new AdminPipelineListener(new PipelineMetrics(new SimpleMeterRegistry(), Set.of("cam-1")), RECENT));
        assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
        for (String id : List.of(GONE, KEPT)) {
            List<EnrollImage> images = new ArrayList<>();
            for (Path file : lfw.get(id).subList(0, 3)) {
                images.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
            }
            assertEquals(3, embedder.gallery().enroll(id, id, images, OptionalInt.empty()).acceptedSamples().size(), id);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {producer, embedder, pipelines, broker}) {
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

    /** Every {@code *.ms} setting divided by {@code factor}: the shipped settings, faster. */
    static Map<String, String> scaled(Map<String, String> configs, long factor) {
        Map<String, String> out = new HashMap<>(configs);
        out.replaceAll((key, value) -> key.endsWith(".ms") ? Long.toString(Math.max(1, Long.parseLong(value) / factor)) : value);
        return out;
    }

    /**
     * Matching: the delete call returns only once this instance's matcher no longer has the person, so a
     * frame of them sent right after it is {@code unknown} (a frame of them before it was recognized).
     */
    @Test
    @Order(1)
    void theFirstFrameAfterTheDeleteReturnedIsNotMatchedToThePerson() throws Exception {
        assertEquals(GONE, matchOf(lfw.get(GONE).get(5)).identity(), "recognized before the delete");
        assertEquals(KEPT, matchOf(lfw.get(KEPT).get(4)).identity(), "recognized before the delete");
        assertEquals(Set.of(GONE, KEPT), recentIdentities(), "recent matches before the delete");
        assertTrue(valuesOf(GONE, TOPICS.recognitions()).get(TOPICS.recognitions()) > 0, "a confident recognition of " + GONE + " kept");
        long started = System.nanoTime();
        assertTrue(embedder.gallery().delete(GONE));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("delete of %s returned after %.3f s, matching had stopped%n", GONE, seconds);
        assertTrue(seconds < 10, "the delete waited for matching for " + seconds + " s");
        assertEquals(Set.of(KEPT), recentIdentities(), "recent matches (GET /admin/matches) once the delete returned");
        assertEquals(MatchRecord.UNKNOWN, matchOf(lfw.get(GONE).get(5)).identity(), "the first frame after the delete");
        assertEquals(KEPT, matchOf(lfw.get(KEPT).get(5)).identity(), "the other person is still recognized");
        assertFalse(embedder.gallery().delete(GONE), "a second delete finds nobody");
    }

    /**
     * The enrollment topic (crops, embeddings), the centroids topic and the recognitions topic (crops of confident
     * matches, on two partitions): after compaction, read from offset 0 (also records of aborted transactions), no
     * record of the deleted person holds a value; the other person's samples are still there. Without the delete
     * tombstoning the recognitions they would stay; without the enrollment stage closing the segments after the
     * delete, the crops would stay in the active segment, which Kafka never compacts.
     */
    @Test
    @Order(2)
    void theDeletedPersonsCropsAndCentroidsAreCompactedAway() throws Exception {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(90).toNanos();
        Map<String, Integer> left;
        Map<String, Double> goneAfter = new TreeMap<>();
        do {
            Thread.sleep(500);
            left = valuesOf(GONE, TOPICS.enrollment(), TOPICS.centroids(), TOPICS.recognitions());
            left.forEach((topic, n) -> {
                if (n == 0) {
                    goneAfter.putIfAbsent(topic, (System.nanoTime() - started) / 1e9);
                }
            });
        } while (goneAfter.size() < left.size() && System.nanoTime() < deadline);
        System.out.printf("records of %s with a value gone after (s): %s (segment.ms and max.compaction.lag.ms 1 s)%n", GONE, goneAfter);
        assertEquals(Map.of(TOPICS.enrollment(), 0, TOPICS.centroids(), 0, TOPICS.recognitions(), 0), left,
                "records of " + GONE + " with a value");
        assertEquals(3, valuesOf(KEPT, TOPICS.enrollment()).get(TOPICS.enrollment()), "samples of " + KEPT);
    }

    /** The Streams changelogs (enrollment embeddings, waiting face crops) are compacted within the same bound. */
    @Test
    @Order(3)
    void theChangelogsHaveTheCompactionSettings() throws Exception {
        try (Admin admin = broker.admin()) {
            List<String> changelogs = admin.listTopics().names().get().stream().filter(n -> n.endsWith("-changelog")).sorted().toList();
            assertEquals(List.of("deletion-it-enrollment-samples-changelog", "deletion-it-pending-faces-changelog"), changelogs);
            for (String topic : changelogs) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                EmbedderTopics.COMPACTED.forEach((key, value) -> assertEquals(value, config.get(key).value(), topic + " " + key));
            }
        }
    }

    /**
     * Frames, faces, matches and dead letters expire by time: with the shipped retention.ms and segment.ms
     * (a day scaled to a second), a record is gone within retention.ms + segment.ms plus the retention check,
     * also on a topic that gets nothing after it (Kafka rolls and deletes an expired active segment).
     */
    @Test
    @Order(4)
    void framesFacesMatchesAndDeadLettersExpireWithTheirShippedRetention() throws Exception {
        Map<String, Map<String, String>> shipped = Map.of("frames", EmbedderTopics.FRAMES, "faces", EmbedderTopics.FACES,
                "matches", EmbedderTopics.MATCHES, "dead-letter", EmbedderTopics.DEAD_LETTER);
        try (Admin admin = broker.admin()) {
            List<NewTopic> topics = new ArrayList<>();
            shipped.forEach((name, configs) -> topics.add(new NewTopic("scaled-" + name, 1, (short) 1).configs(scaled(configs, 86_400))));
            admin.createTopics(topics).all().get();
        }
        long sent = System.nanoTime();
        for (String name : shipped.keySet()) {
            producer.send(new ProducerRecord<>("scaled-" + name, GONE, ("crop of " + GONE).getBytes(StandardCharsets.UTF_8))).get();
        }
        for (var e : shipped.entrySet()) {
            String topic = "scaled-" + e.getKey();
            Map<String, String> scaled = scaled(e.getValue(), 86_400);
            long bound = Long.parseLong(scaled.get(TopicConfig.RETENTION_MS_CONFIG)) + Long.parseLong(scaled.get(TopicConfig.SEGMENT_MS_CONFIG));
            long deadline = sent + Duration.ofMillis(bound).plusSeconds(60).toNanos();
            int left;
            do {
                Thread.sleep(250);
                left = valuesOf(GONE, topic).get(topic);
            } while (left > 0 && System.nanoTime() < deadline);
            System.out.printf("%s: the record expired after %.1f s (scaled retention.ms + segment.ms %.1f s)%n", topic,
                    (System.nanoTime() - sent) / 1e9, bound / 1e3);
            assertEquals(0, left, topic + " still holds the record");
        }
    }

    /** For each topic, how many records from offset 0 (uncommitted ones too) are keyed to the identity and hold a value. */
    private static Map<String, Integer> valuesOf(String identity, String... topics) {
        Map<String, Integer> out = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) {
                List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                int n = 0;
                while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.value() != null && r.key() != null && (r.key().equals(identity) || r.key().startsWith(identity + "/"))) {
                            n++;
                        }
                    }
                }
                out.put(topic, n);
            }
        }
        return out;
    }

    private static int sequence;

    /** Sends one frame and returns the match of its best face. */
    private static Set<String> recentIdentities() {
        return RECENT.latest(RECENT.capacity()).stream().map(MatchRecord::identity).collect(Collectors.toSet());
    }

    private static MatchRecord matchOf(Path image) throws Exception {
        long seq = sequence++;
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "cam-1");
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(seq));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
        try (KafkaConsumer<String, byte[]> matches = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = matches.partitionsFor(TOPICS.matches()).stream()
                    .map(p -> new TopicPartition(TOPICS.matches(), p.partition())).toList();
            matches.assign(partitions);
            producer.send(new ProducerRecord<>(TOPICS.frames(), null, "cam-1", Files.readAllBytes(image), headers)).get();
            Predicate<MatchRecord> mine = m -> m.sequence() == seq && m.face() == 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : matches.poll(Duration.ofMillis(200))) {
                    MatchRecord m = MatchCodec.decode(r.value());
                    if (mine.test(m)) {
                        return m;
                    }
                }
            }
        }
        throw new AssertionError("no match for frame " + seq + " (" + image + ")");
    }
}
