package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.TopicSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person deleted while a promotion rewrites the gallery stays deleted: the delete lands exactly between
 * the re-index reading a sample and writing it back (the producer of the re-index deletes the person
 * through the gallery just before it sends their first rewritten sample), once during the re-embedding
 * and once during the retirement pass. Afterwards the person has no centroid of any version, no record
 * of theirs on the centroids topic after the delete, and no sample on the enrollment topic; the others
 * have centroids of the new version.
 */
class DeletionDuringPromotionOnBrokerTest {

    private static final float THRESHOLD = 0.38f;
    private static final String NEW_VERSION = "deletion-test-version";
    private static final TopicNames TOPICS = TopicNames.defaults();

    private static Path stateDir;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelineConfig config;
    private static FacePipelinePool pipelines;
    private static KafkaEmbedderRuntime embedder;
    private static final List<String> identities = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        Map<String, List<Path>> lfw = Enroller.scan(dir).stream().collect(Collectors.groupingBy(Enroller.GalleryImage::identity, TreeMap::new,
                Collectors.mapping(Enroller.GalleryImage::file, Collectors.toList())));
        config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        stateDir = Files.createTempDirectory("deletion-promotion");
        broker = EmbeddedKafkaBroker.start();
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("deletion-promotion").withStateDir(stateDir), pipelines, new MatchThreshold(THRESHOLD), PipelineListener.NONE);
        assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
        for (String id : List.of("Colin_Powell", "George_W_Bush", "Tony_Blair")) {
            List<EnrollImage> images = new ArrayList<>();
            for (Path file : lfw.get(id).subList(0, 3)) {
                images.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
            }
            assertTrue(embedder.gallery().enroll(id, id, images, OptionalInt.empty()).acceptedSamples().size() >= 2, id);
            identities.add(id);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {embedder, pipelines, broker}) {
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

    @Test
    void aPersonDeletedWhileTheGalleryIsReEmbeddedOrRetiredStaysDeleted() throws Exception {
        try (FaceEmbedder faces = new FaceEmbedder(config.embedding(), config.inference(), config.embedBatch(), config.tta())) {
            // re-embedding into a new version; the first identity is deleted between read and write-back
            String first = identities.get(0);
            try (DeletingProducer producer = new DeletingProducer(first)) {
                int indexed = reindexer(producer).reindex(NEW_VERSION, faces, Duration.ofMinutes(2)).identities();
                assertTrue(producer.deleted(), "the delete happened during the re-index");
                assertEquals(identities.size() - 1, indexed, "identities with centroids of the new version");
                assertStaysDeleted(first, producer.centroidsEndAtDelete);
            }

            // retirement of the old version; the second identity is deleted between read and write-back
            String second = identities.get(1);
            try (DeletingProducer producer = new DeletingProducer(second)) {
                int rewritten = reindexer(producer).retire(Set.of(NEW_VERSION), NEW_VERSION, faces);
                assertTrue(producer.deleted(), "the delete happened during the retirement");
                assertTrue(rewritten > 0, "samples rewritten");
                assertStaysDeleted(second, producer.centroidsEndAtDelete);
            }
        }
        String kept = identities.get(2);
        assertEquals(List.of(NEW_VERSION), embedder.gallery().identity(kept).orElseThrow().modelVersions(), kept);
        assertTrue(embedder.gallery().identity(identities.get(0)).isEmpty());
    }

    private static GalleryReindexer reindexer(KafkaProducer<String, byte[]> producer) {
        return new GalleryReindexer(DeletionDuringPromotionOnBrokerTest::consumer, producer, TOPICS.enrollment(), TOPICS.centroids(),
                config.embedding().inputSize());
    }

    /**
     * Once the stream has processed everything: the person is not in the gallery, no centroid record of
     * theirs was written after the delete (they never came back to matching, not even for a moment), and
     * the enrollment topic holds none of their samples.
     */
    private static void assertStaysDeleted(String identity, Map<TopicPartition, Long> centroidsAtDelete) throws Exception {
        // the stream answers a late rewrite with a tombstone: wait until the topic's latest values show no sample
        long deadline = System.currentTimeMillis() + 60_000;
        Set<String> samples;
        do {
            Thread.sleep(200);
            try (Consumer<String, byte[]> c = consumer()) {
                samples = TopicSnapshot.read(c, TOPICS.enrollment(), Duration.ofSeconds(30)).latest().keySet().stream()
                        .filter(k -> k.startsWith(identity + "/")).collect(Collectors.toCollection(TreeSet::new));
            }
        } while (!samples.isEmpty() && System.currentTimeMillis() < deadline);
        assertEquals(Set.of(), samples, identity + " samples on the enrollment topic");
        Thread.sleep(1000); // a commit interval and more: any centroid the stream would write is committed by now
        assertTrue(embedder.gallery().identity(identity).isEmpty(), identity + " is in the gallery again");
        List<String> after = new ArrayList<>();
        try (Consumer<String, byte[]> c = consumer()) {
            List<TopicPartition> partitions = TopicSnapshot.partitions(c, TOPICS.centroids(), Duration.ofSeconds(30));
            c.assign(partitions);
            centroidsAtDelete.forEach(c::seek);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && CentroidKey.parse(r.key()).identityId().equals(identity)) {
                        after.add(r.key() + "@" + r.offset());
                    }
                }
            }
        }
        assertEquals(List.of(), after, "centroids of " + identity + " written after the delete");
    }

    private static Consumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The re-index's producer: before it sends the first rewritten sample of {@code victim}, it deletes the
     * victim through the gallery (which returns once matching has stopped) and notes where the centroids
     * topic ended then.
     */
    private static final class DeletingProducer extends KafkaProducer<String, byte[]> {
        private final String victim;
        private Map<TopicPartition, Long> centroidsEndAtDelete;

        DeletingProducer(String victim) {
            super(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new ByteArraySerializer());
            this.victim = victim;
        }

        boolean deleted() {
            return centroidsEndAtDelete != null;
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if (centroidsEndAtDelete == null && record.value() != null && record.key().startsWith(victim + "/")) {
                assertTrue(embedder.gallery().delete(victim), "deleted " + victim);
                assertTrue(embedder.gallery().identity(victim).isEmpty(), "the delete returns once matching has stopped");
                try (Consumer<String, byte[]> c = consumer()) {
                    centroidsEndAtDelete = c.endOffsets(TopicSnapshot.partitions(c, TOPICS.centroids(), Duration.ofSeconds(30)));
                }
            }
            return super.send(record, callback);
        }
    }
}
