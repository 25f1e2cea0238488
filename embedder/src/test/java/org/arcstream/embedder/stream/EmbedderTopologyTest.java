package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.arcstream.core.config.Settings;
import org.arcstream.core.image.ImageLimits;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.FrameRef;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.EnrollmentWriter;
import org.arcstream.embedder.gallery.IdentityInfo;
import org.arcstream.embedder.gallery.TopicGallery;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole topology on the test driver with the real models: enrollment through the gallery
 * service and the enrollment topic, centroids in the global store, batching by count and by wall
 * clock, model versions kept apart, and dead letters.
 */
class EmbedderTopologyTest {

    private static final List<String> PEOPLE = List.of("Colin_Powell", "Gerhard_Schroeder", "Hugo_Chavez");
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final int MAX_FACES = 8;
    private static final Duration MAX_WAIT = Duration.ofMillis(50);

    private static FacePipelineConfig config;
    private static FacePipelinePool pipelines;
    private static RecordingListener listener;
    private static MatchThreshold threshold;
    private static TopologyTestDriver driver;
    private static MockProducer<String, byte[]> producer;
    private static int piped;
    private static TopicGallery gallery;
    private static TestInputTopic<String, byte[]> frames;
    private static TestInputTopic<String, byte[]> enrollment;
    private static TestOutputTopic<String, byte[]> faces;
    private static TestOutputTopic<String, byte[]> matches;
    private static TestOutputTopic<String, byte[]> centroids;
    private static TestOutputTopic<String, byte[]> deadLetters;

    @BeforeAll
    static void start() throws IOException {
        FacePipelineConfig defaults = FacePipelineConfig.from(Settings.load(null));
        // a small byte limit, so that an oversized frame is cheap to make
        config = new FacePipelineConfig(defaults.detectorModel(), defaults.landmarkModel(), defaults.embedding(),
                defaults.scoreThreshold(), defaults.nmsIou(), defaults.minFaceSize(), defaults.maxFaces(), defaults.paddedRetry(), defaults.embedBatch(),
                defaults.tta(), defaults.inference(), new ImageLimits(1_000_000, defaults.imageLimits().maxPixels(), 16));
        pipelines = new FacePipelinePool(config);
        listener = new RecordingListener();
        threshold = new MatchThreshold(0.38f);
        EmbedderSettings settings = EmbedderSettings.defaults("unused:9092", config, 0.38f)
                .withBatch(MAX_FACES, MAX_WAIT).withKnownCameras(Set.of("door", "hall"));
        Properties props = EmbedderTopology.streamsProperties(settings);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("embedder-topology-test").toString());
        driver = new TopologyTestDriver(EmbedderTopology.build(settings, pipelines, threshold, listener), props);
        frames = driver.createInputTopic(TOPICS.frames(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        enrollment = driver.createInputTopic(TOPICS.enrollment(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        faces = driver.createOutputTopic(TOPICS.faces(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        matches = driver.createOutputTopic(TOPICS.matches(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        centroids = driver.createOutputTopic(TOPICS.centroids(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        gallery = new TopicGallery(new EnrollmentWriter(producer, TOPICS.enrollment(), pipelines, Clock.systemUTC()),
                () -> driver.getKeyValueStore(EmbedderTopology.CENTROIDS_STORE),
                () -> Optional.of(driver.getKeyValueStore(EmbedderTopology.ENROLLMENT_SAMPLES_STORE)), Duration.ZERO);
        for (String person : PEOPLE) {
            EnrollOutcome outcome = enroll(person, 1, 5);
            assertEquals(5, outcome.acceptedSamples().size(), person + ": " + outcome.rejected());
        }
        centroids.readRecordsToList();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (pipelines != null) {
            pipelines.close();
        }
    }

    @AfterEach
    void drain() {
        // every test starts with no waiting faces and empty outputs
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        faces.readRecordsToList();
        matches.readRecordsToList();
        deadLetters.readRecordsToList();
        centroids.readRecordsToList();
        listener.batches.clear();
        listener.deadLetters.clear();
    }

    /** The n-th image (1-based, in name order) of a person in the LFW sample; LFW numbers have gaps. */
    static Path lfw(String person, int n) throws IOException {
        String shared = System.getProperty("arcstream.shared.dir", "../../shared");
        Path dir = Path.of(shared, "data", "lfw10", person);
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().get(n - 1);
        }
    }

    private static EnrollOutcome enroll(String person, int from, int to) throws IOException {
        List<EnrollImage> images = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            images.add(new EnrollImage(person + "/" + n, Files.readAllBytes(lfw(person, n))));
        }
        EnrollOutcome outcome = gallery.enroll(person, person.replace('_', ' '), images, OptionalInt.empty());
        pipeProduced();
        return outcome;
    }

    /** What the gallery service wrote to the enrollment topic goes into the driver, in order. */
    private static void pipeProduced() {
        List<ProducerRecord<String, byte[]>> history = producer.history();
        for (; piped < history.size(); piped++) {
            enrollment.pipeInput(history.get(piped).key(), history.get(piped).value());
        }
    }

    private static void send(String camera, byte[] image, long sequence) {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, camera);
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, "1763000000000");
        frames.pipeInput(new TestRecord<>(camera, image, headers));
    }

    private static List<MatchRecord> flushAndReadMatches() {
        driver.advanceWallClockTime(MAX_WAIT);
        return matches.readValuesToList().stream().map(MatchCodec::decode).toList();
    }

    @Test
    void enrolledIdentitiesGetTheMeanOfTheirSamplesAndAreRecognized() throws IOException {
        List<IdentityInfo> identities = gallery.identities();
        assertEquals(PEOPLE, identities.stream().map(IdentityInfo::id).toList());
        for (IdentityInfo info : identities) {
            assertEquals(5, info.samples(), info.id());
            assertEquals(List.of(config.embedding().id()), info.modelVersions());
            assertEquals(info.id().replace('_', ' '), info.name());
        }
        // the stored centroid is the normalized mean of the five embeddings the batch path gives
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(EmbedderTopology.CENTROIDS_STORE);
        FacePipeline pipeline = pipelines.borrow();
        try {
            List<float[]> samples = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                samples.add(pipeline.bestFace(pipeline.decoder().decode(lfw("Hugo_Chavez", n))).orElseThrow().embedding());
            }
            float[] expected = CentroidIndex.build(Map.of(new Identity("Hugo_Chavez", "x"), samples), 1).centroids("Hugo_Chavez").get(0);
            CentroidRecord stored = CentroidCodec.decode(store.get("Hugo_Chavez/" + config.embedding().id()));
            assertEquals(5, stored.sampleCount());
            assertArrayEquals(expected, stored.centroids().get(0), 1e-5f);
        } finally {
            pipelines.release(pipeline);
        }

        for (String person : PEOPLE) {
            send("door", Files.readAllBytes(lfw(person, 8)), 8);
        }
        List<MatchRecord> matched = flushAndReadMatches();
        List<FaceEmbeddingRecord> embedded = faces.readValuesToList().stream().map(FaceEmbeddingCodec::decode).toList();
        assertEquals(embedded.size(), matched.size(), "one match per face");
        List<MatchRecord> best = matched.stream().filter(m -> m.face() == 0).toList();
        assertEquals(PEOPLE, best.stream().map(MatchRecord::identity).toList());
        for (MatchRecord m : best) {
            assertTrue(m.score() >= 0.38f && m.score() > m.runnerUpScore(), m.toString());
            assertTrue(m.runnerUpScore() > -1f, "the runner-up is another enrolled identity");
            assertEquals(config.embedding().id(), m.modelVersion());
        }
        FaceEmbeddingRecord face = embedded.get(0);
        assertEquals(new FrameRef("door", 8, 0, face.frame().offset()), face.frame());
        assertEquals(1_763_000_000_000L, face.captureMillis());
        assertEquals(512, face.embedding().length);
    }

    @Test
    void aRaisedThresholdTurnsMatchesUnknownWhileTheStreamRuns() throws IOException {
        try {
            threshold.set(0.99f);
            send("door", Files.readAllBytes(lfw("Colin_Powell", 9)), 9);
            MatchRecord m = flushAndReadMatches().get(0);
            assertEquals(MatchRecord.UNKNOWN, m.identity());
            assertEquals(0.99f, m.threshold());
            assertTrue(m.score() > 0.38f, "still scored against Colin Powell: " + m.score());
        } finally {
            threshold.set(0.38f);
        }
    }

    @Test
    void aDeletedIdentityIsNoLongerRecognizedAndItsSamplesAreGone() throws IOException {
        EnrollOutcome outcome = enroll("Jacques_Chirac", 1, 5);
        assertEquals(5, outcome.acceptedSamples().size());
        send("hall", Files.readAllBytes(lfw("Jacques_Chirac", 7)), 1);
        assertEquals("Jacques_Chirac", flushAndReadMatches().get(0).identity());

        assertTrue(gallery.delete("Jacques_Chirac"));
        pipeProduced();
        assertEquals(5, producer.history().stream().filter(r -> r.value() == null).count(), "one tombstone per sample");
        List<KeyValue<String, byte[]>> centroidUpdates = centroids.readKeyValuesToList();
        assertEquals("Jacques_Chirac/" + config.embedding().id(), centroidUpdates.get(centroidUpdates.size() - 1).key);
        assertEquals(null, centroidUpdates.get(centroidUpdates.size() - 1).value, "the centroid is deleted");
        assertTrue(gallery.identity("Jacques_Chirac").isEmpty());
        KeyValueStore<String, byte[]> samples = driver.getKeyValueStore(EmbedderTopology.ENROLLMENT_SAMPLES_STORE);
        try (var it = samples.prefixScan("Jacques_Chirac/", new StringSerializer())) {
            assertFalse(it.hasNext(), "samples deleted");
        }

        send("hall", Files.readAllBytes(lfw("Jacques_Chirac", 7)), 2);
        MatchRecord after = flushAndReadMatches().get(0);
        assertEquals(MatchRecord.UNKNOWN, after.identity());
        assertFalse(gallery.delete("Jacques_Chirac"), "nothing left to delete");
    }

    @Test
    void enrollmentRejectsImagesWithoutExactlyOneFaceAndKeepsTheOthers() throws IOException {
        List<EnrollImage> images = List.of(
                new EnrollImage("text.jpg", "not an image".getBytes(StandardCharsets.UTF_8)),
                new EnrollImage("blank.png", png(200, 200)),
                new EnrollImage("putin.jpg", Files.readAllBytes(lfw("Vladimir_Putin", 2))));
        EnrollOutcome outcome = gallery.enroll("putin", "Vladimir Putin", images, OptionalInt.empty());
        pipeProduced();
        assertEquals(1, outcome.acceptedSamples().size());
        assertEquals(List.of("text.jpg", "blank.png"), outcome.rejected().stream().map(EnrollOutcome.Rejection::source).toList());
        assertTrue(outcome.rejected().get(1).reason().contains("no face"), outcome.rejected().get(1).reason());
        assertEquals(1, gallery.identity("putin").orElseThrow().samples());
        assertTrue(gallery.delete("putin"));
        pipeProduced();
    }

    @Test
    void facesAreEmbeddedInBatchesOfTheMaximumCountAcrossFrames() throws IOException {
        int sent = 0;
        int located = listener.facesLocated.get();
        // frames of one or two faces each: nothing is embedded until eight faces wait
        while (listener.facesLocated.get() - located < MAX_FACES) {
            assertTrue(faces.isEmpty(), "no embedding before the batch is full");
            sent++;
            send("door", Files.readAllBytes(lfw(PEOPLE.get(sent % 3), 6 + sent / 3)), sent);
        }
        assertEquals(List.of(MAX_FACES), listener.batches, "one full batch");
        assertEquals(MAX_FACES, faces.readValuesToList().size());
        assertTrue(sent > 1, "the batch spans frames");
        int waiting = listener.facesLocated.get() - located - MAX_FACES;
        driver.advanceWallClockTime(MAX_WAIT);
        assertEquals(waiting, faces.readValuesToList().size());
    }

    @Test
    void aPartialBatchIsEmbeddedOnceItsOldestFaceHasWaitedTheMaximumTime() throws IOException {
        send("door", Files.readAllBytes(lfw("Hugo_Chavez", 7)), 1);
        driver.advanceWallClockTime(MAX_WAIT.dividedBy(2));
        assertTrue(faces.isEmpty(), "still waiting for more faces");
        send("door", Files.readAllBytes(lfw("Hugo_Chavez", 8)), 2);
        driver.advanceWallClockTime(MAX_WAIT.dividedBy(2));
        List<FaceEmbeddingRecord> embedded = faces.readValuesToList().stream().map(FaceEmbeddingCodec::decode).toList();
        assertEquals(List.of(1L, 2L), embedded.stream().filter(f -> f.faceIndex() == 0).map(f -> f.frame().sequence()).toList(),
                "both frames go in the batch the first one started");
        assertEquals(1, listener.batches.size());
    }

    @Test
    void embeddingsAreNeverComparedWithCentroidsOfAnotherModelVersion() throws IOException {
        float[] putin;
        FacePipeline pipeline = pipelines.borrow();
        try {
            putin = pipeline.bestFace(pipeline.decoder().decode(lfw("Vladimir_Putin", 1))).orElseThrow().embedding();
        } finally {
            pipelines.release(pipeline);
        }
        // the very same vector, but enrolled as made by another model
        enrollment.pipeInput("impostor/s1", EnrollmentCodec.encode(
                new EnrollmentRecord("impostor", "Impostor", "other.jpg", 0, new byte[0], Map.of("other-model", putin))));
        assertEquals(List.of("other-model"), gallery.identity("impostor").orElseThrow().modelVersions());

        send("door", Files.readAllBytes(lfw("Vladimir_Putin", 1)), 1);
        MatchRecord m = flushAndReadMatches().get(0);
        assertEquals(MatchRecord.UNKNOWN, m.identity());
        assertTrue(m.score() < 0.38f, "best score among this model's centroids: " + m.score());
        enrollment.pipeInput("impostor/s1", null);
        assertTrue(gallery.identity("impostor").isEmpty());
    }

    @Test
    void badFramesGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() throws IOException {
        byte[] text = "no picture here".getBytes(StandardCharsets.UTF_8);
        byte[] face = Files.readAllBytes(lfw("Colin_Powell", 10));
        send("door", text, 1);
        send("door", new byte[1_000_001], 2);
        send("door", png(200, 200), 3);
        send("garage", face, 4);
        send("", face, 5);
        RecordHeaders badSequence = new RecordHeaders();
        FrameRecordHeaders.put(badSequence, FrameHeaders.SEQUENCE, "seven");
        frames.pipeInput(new TestRecord<>("door", face, badSequence));
        RecordHeaders futureVersion = new RecordHeaders();
        FrameRecordHeaders.put(futureVersion, FrameHeaders.VERSION, "2");
        frames.pipeInput(new TestRecord<>("door", face, futureVersion));
        enrollment.pipeInput("nobody/s1", "garbage".getBytes(StandardCharsets.UTF_8));
        enrollment.pipeInput("no-slash", new byte[0]);
        send("door", face, 9);

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        List<String> reasons = dead.stream().map(r -> FrameRecordHeaders.string(r.headers(), DeadLetters.REASON)).toList();
        List<String> kinds = reasons.stream().map(r -> r.substring(0, r.indexOf(':'))).toList();
        assertEquals(List.of("not-an-image", "oversized-image", "no-face", "unknown-camera", "bad-header", "bad-header", "bad-header",
                "unreadable-enrollment", "unreadable-enrollment"), kinds, reasons.toString());
        assertTrue(reasons.get(3).contains("garage"), reasons.get(3));
        assertTrue(reasons.get(5).contains(FrameHeaders.SEQUENCE), reasons.get(5));
        assertArrayEquals(text, dead.get(0).value(), "the original record is kept");
        assertEquals("2", FrameRecordHeaders.string(dead.get(1).headers(), FrameHeaders.SEQUENCE), "original headers are kept");
        assertEquals(TOPICS.frames(), FrameRecordHeaders.string(dead.get(0).headers(), DeadLetters.SOURCE_TOPIC));
        assertEquals("embed", FrameRecordHeaders.string(dead.get(0).headers(), DeadLetters.STAGE));
        assertEquals(TOPICS.enrollment(), FrameRecordHeaders.string(dead.get(7).headers(), DeadLetters.SOURCE_TOPIC));
        assertEquals("enrollment", FrameRecordHeaders.string(dead.get(7).headers(), DeadLetters.STAGE));
        // the good frame after the bad ones still comes through
        List<MatchRecord> after = flushAndReadMatches();
        assertEquals("Colin_Powell", after.get(0).identity());
        assertEquals(9, after.get(0).sequence());
        assertTrue(gallery.identity("nobody").isEmpty());
    }

    /** A blank image: decodable, no face. */
    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return out.toByteArray();
    }
}
