package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.embedder.TestResources;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.kafka.KafkaTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records that could stop the fleet, written to a real broker while one embedder instance runs: each
 * is used, dead-lettered or skipped and counted; the instance keeps running, and frames are matched
 * with exactly the scores they had before. The frames topic takes 20 MiB records as shipped, so a
 * frame can carry more key and headers than the stream may copy into its records; the dead-letter
 * topic keeps the broker's default (about 1 MB).
 */
class PoisonRecordsOnBrokerTest {

    private static final float THRESHOLD = 0.38f;
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final List<String> PEOPLE = List.of("Colin_Powell", "Tony_Blair", "Hugo_Chavez");

    private static Path work;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static String model;
    private static RecordingListener listener;
    private static KafkaEmbedderRuntime embedder;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> results;
    private static final Map<Long, MatchRecord> matches = new ConcurrentHashMap<>();
    private static final Map<String, ConsumerRecord<String, byte[]>> deadLetters = new ConcurrentHashMap<>();
    private static long sequence;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("poison-records");
        broker = EmbeddedKafkaBroker.start();
        try (Admin admin = broker.admin()) {
            KafkaTopics.createMissing(admin, List.of(new NewTopic(TOPICS.frames(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "20971520"))), Duration.ofSeconds(30));
        }
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        model = pipelines.modelVersion();
        listener = new RecordingListener();
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("poison").withStateDir(work.resolve("state")), pipelines, new MatchThreshold(THRESHOLD), listener);
        assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
        for (String person : PEOPLE) {
            List<EnrollImage> images = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                images.add(new EnrollImage(person + n, Files.readAllBytes(EmbedderTopologyTest.lfw(person, n))));
            }
            embedder.gallery().enroll(person, person.replace('_', ' '), images, OptionalInt.empty());
        }
        await("gallery enrolled", () -> embedder.gallery().identities().size() == PEOPLE.size());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 21 << 20, ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20),
                new StringSerializer(), new ByteArraySerializer());
        results = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poison-results", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        results.subscribe(List.of(TOPICS.matches(), TOPICS.deadLetter()));
    }

    @AfterAll
    static void stop() {
        TestResources.closeAll(results, producer, embedder, pipelines, broker);
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    // ---- enrollment ----

    @Test
    void aNanOrAllZeroEnrollmentEmbeddingIsDeadLetteredAndNoCentroidOrScoreChanges() throws Exception {
        MatchRecord before = match("Colin_Powell", 8);
        float[] nan = unit(512, 3);
        nan[7] = Float.NaN;
        float[] raw = unit(512, 4);
        for (int i = 0; i < raw.length; i++) {
            raw[i] *= 3; // not normalized: it would outweigh the identity's other samples
        }
        RecordMetadata nanSample = enroll("Colin_Powell/nan", sample("Colin_Powell", nan));
        RecordMetadata zeroSample = enroll("Colin_Powell/zero", sample("Colin_Powell", new float[512]));
        // the only sample of an identity: a centroid of nothing
        RecordMetadata onlyZero = enroll("Zed_Zero/only", sample("Zed_Zero", new float[512]));
        RecordMetadata rawSample = enroll("Colin_Powell/raw", sample("Colin_Powell", raw));

        assertDeadLettered(nanSample, "unreadable-enrollment", "NaN value at index 7");
        assertDeadLettered(zeroSample, "unreadable-enrollment", "all zeros");
        assertDeadLettered(onlyZero, "unreadable-enrollment", "all zeros");
        assertDeadLettered(rawSample, "unreadable-enrollment", "L2 norm 3.000");

        MatchRecord after = match("Colin_Powell", 8);
        assertSameMatch(before, after);
        assertEquals(3, embedder.gallery().identity("Colin_Powell").orElseThrow().samples(), "no bad sample joined the centroid");
        assertTrue(embedder.gallery().identity("Zed_Zero").isEmpty());
        assertRunning();
    }

    @Test
    void enrollmentKeysAtTheirLengthLimitsAreUsedAndBeyondThemDeadLettered() throws Exception {
        String id128 = "I" + "d".repeat(127);
        String sample255 = "s".repeat(255);
        enroll(id128 + "/s1", sample(id128, unit(512, 5)));
        enroll("Long_Sample/" + sample255, sample("Long_Sample", unit(512, 6)));
        RecordMetadata id129 = enroll("J" + "d".repeat(128) + "/s1", sample("Nobody", unit(512, 7)));
        RecordMetadata sample256 = enroll("Longer_Sample/" + "s".repeat(256), sample("Longer_Sample", unit(512, 8)));
        // (a record without a key cannot reach the enrollment topic: the broker refuses it on a compacted topic)
        // a key of 600 KB: the topic takes it, the letter keeps it, the reason quotes only its start
        String hugeKey = "k".repeat(600_000);
        RecordMetadata huge = enroll(hugeKey, sample("Nobody", unit(512, 10)));
        byte[] futureVersion = sample("Future_Sample", unit(512, 12));
        futureVersion[2] = 2;
        RecordMetadata future = enroll("Future_Sample/s1", futureVersion);
        // a value near the topic's limit (the broker's default, about 1 MB): a crop of a million bytes
        enroll("Big_Crop/s1", EnrollmentCodec.encode(new EnrollmentRecord("Big_Crop", "Big Crop", "poison", 0, new byte[1_000_000],
                Map.of(model, unit(512, 13)))));

        await("identities at the limits enrolled", () -> embedder.gallery().identity(id128).isPresent()
                && embedder.gallery().identity("Long_Sample").map(i -> i.samples() == 1).orElse(false)
                && embedder.gallery().identity("Big_Crop").isPresent());
        assertDeadLettered(id129, "unreadable-enrollment", "longer than 128 characters");
        assertDeadLettered(sample256, "unreadable-enrollment", "256 bytes long, more than 255");
        ConsumerRecord<String, byte[]> letter = assertDeadLettered(huge, "unreadable-enrollment", "(600000 characters)");
        assertEquals(hugeKey, letter.key(), "the original key is kept where it fits");
        assertTrue(header(letter, DeadLetters.REASON).length() < 1100, "the reason quotes the key's start only");
        assertDeadLettered(future, "unreadable-enrollment", "version 2 is not supported");
        assertTrue(embedder.gallery().identity("Longer_Sample").isEmpty());
        assertEquals("Colin_Powell", match("Colin_Powell", 9).identity());
        assertRunning();
    }

    // ---- centroids ----

    @Test
    void centroidRecordsThatCannotBeMatchedAreSkippedCountedOnceAndHarmNobodyElse() throws Exception {
        MatchRecord before = match("Tony_Blair", 8);
        int skippedBefore = listener.skipped.size();
        byte[] futureVersion = centroid("0v2", unit(512, 1));
        futureVersion[2] = 2;
        float[] nan = unit(512, 2);
        nan[0] = Float.NaN;
        // the unreadable ones first: once the decodable ones show in the gallery, all are in the store (one partition)
        sendCentroid("0v2/" + model, futureVersion);
        sendCentroid("0junk/" + model, "x".getBytes(StandardCharsets.UTF_8));
        // keys sort before every real identity: today's "first length seen wins" would take the 3-value one
        sendCentroid("0dim/" + model, centroid("0dim", unit(3, 0)));
        sendCentroid("0nan/" + model, centroid("0nan", nan));
        sendCentroid("0zero/" + model, centroid("0zero", new float[512]));
        sendCentroid("0mine/" + model, centroid("0theirs", unit(512, 4)));
        sendCentroid("0" + "k".repeat(300_000) + "/" + model, centroid("0long", unit(512, 5)));
        await("bad centroids in the global store", () -> embedder.gallery().identities().stream().map(i -> i.id()).toList()
                .containsAll(List.of("0dim", "0nan", "0zero", "0theirs", "0long")));

        MatchRecord after = match("Tony_Blair", 8);
        assertSameMatch(before, after);
        await("seven records skipped", () -> listener.skipped.size() == skippedBefore + 7);
        List<String> reasons = listener.skipped.subList(skippedBefore, skippedBefore + 7).stream()
                .map(s -> s.substring(0, s.indexOf(':'))).sorted().toList();
        assertEquals(List.of("centroids centroid-dimension", "centroids unreadable-centroid", "centroids unreadable-centroid",
                "centroids unreadable-centroid", "centroids unreadable-centroid", "centroids unusable-centroid",
                "centroids unusable-centroid"), reasons, listener.skipped.toString());

        // the store changes (an identity enrolled), the indexes are rebuilt: the same records are not counted again
        enroll("Counted_Once/s1", sample("Counted_Once", unit(512, 11)));
        await("store changed", () -> embedder.gallery().identity("Counted_Once").isPresent());
        assertEquals("Tony_Blair", match("Tony_Blair", 9).identity());
        assertEquals(skippedBefore + 7, listener.skipped.size(), listener.skipped.toString());
        assertRunning();
    }

    // ---- frames ----

    @Test
    void frameKeysAndHeadersAtTheirLimitsAreMatchedAndBeyondThemDeadLettered() throws Exception {
        byte[] image = Files.readAllBytes(EmbedderTopologyTest.lfw("Hugo_Chavez", 8));
        String camera255 = "c".repeat(FrameEmbedder.MAX_CAMERA_BYTES);
        long atKeyLimit = sequence();
        send(camera255, image, headers(atKeyLimit));
        long atHeaderLimit = sequence();
        Headers full = headers(atHeaderLimit);
        full.add("padding", new byte[(int) (FrameEmbedder.MAX_HEADER_BYTES - RecordSize.headerBytes(full, 8) - 8 - "padding".length())]);
        assertEquals(FrameEmbedder.MAX_HEADER_BYTES, RecordSize.headerBytes(full, 8));
        send("cam", image, full);

        RecordMetadata longKey = send(camera255 + "c", image, headers(sequence()));
        Headers longCamera = headers(sequence());
        FrameRecordHeaders.put(longCamera, FrameHeaders.CAMERA, camera255 + "c");
        RecordMetadata longCameraHeader = send("cam", image, longCamera);
        Headers overFull = headers(sequence());
        overFull.add("padding", new byte[(int) (FrameEmbedder.MAX_HEADER_BYTES - RecordSize.headerBytes(overFull, 8) - 8 - "padding".length() + 1)]);
        RecordMetadata overHeaderLimit = send("cam", image, overFull);
        // 2 MB of headers: copied into the face records, they would be larger than the producer sends
        Headers huge = headers(sequence());
        huge.add("blob", new byte[2_000_000]);
        RecordMetadata hugeHeaders = send("cam", image, huge);
        RecordMetadata hugeKey = send("k".repeat(3_000_000), image, headers(sequence()));
        Headers future = headers(sequence());
        FrameRecordHeaders.put(future, FrameHeaders.VERSION, "2");
        RecordMetadata futureVersion = send("cam", image, future);

        MatchRecord keyed = awaitMatch(atKeyLimit);
        assertEquals(camera255, keyed.camera());
        assertEquals("Hugo_Chavez", keyed.identity());
        assertEquals("Hugo_Chavez", awaitMatch(atHeaderLimit).identity());
        assertDeadLettered(longKey, "bad-header", "256 bytes is longer than 255");
        assertDeadLettered(longCameraHeader, "bad-header", "camera id of 256 bytes");
        assertDeadLettered(overHeaderLimit, "bad-header", "16385 bytes, more than 16384");
        ConsumerRecord<String, byte[]> letter = assertDeadLettered(hugeHeaders, "bad-header", "more than 16384");
        // the dead-letter topic takes about 1 MB: the letter carries neither the frame nor its headers, only where it is
        assertEquals(DeadLetters.OMITTED, header(letter, DeadLetters.PAYLOAD));
        assertNull(letter.value());
        assertNull(letter.headers().lastHeader("blob"));
        assertEquals(Integer.toString(image.length), header(letter, DeadLetters.SIZE));
        assertEquals(DeadLetters.sha256(image), header(letter, DeadLetters.SHA256));
        assertDeadLettered(hugeKey, "bad-header", "3000000 bytes is longer than 255");
        assertDeadLettered(futureVersion, "bad-header", "version '2'");
        assertEquals("Hugo_Chavez", match("Hugo_Chavez", 9).identity());
        assertRunning();
    }

    // ---- helpers ----

    private static void assertRunning() {
        assertTrue(embedder.ready(), "the instance still runs: " + embedder.state());
    }

    private static void assertSameMatch(MatchRecord before, MatchRecord after) {
        assertEquals(before.identity(), after.identity());
        assertEquals(before.score(), after.score(), "score");
        assertEquals(before.runnerUpScore(), after.runnerUpScore(), "runner-up score");
    }

    private static ConsumerRecord<String, byte[]> assertDeadLettered(RecordMetadata sent, String kind, String detail) throws Exception {
        String where = sent.topic() + "@" + sent.offset();
        await("dead letter of " + where, () -> {
            poll();
            return deadLetters.containsKey(where);
        });
        ConsumerRecord<String, byte[]> letter = deadLetters.get(where);
        String reason = header(letter, DeadLetters.REASON);
        assertTrue(reason.startsWith(kind + ":") && reason.contains(detail), where + ": " + reason);
        assertEquals("2", header(letter, DeadLetters.VERSION));
        return letter;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return FrameRecordHeaders.string(r.headers(), name);
    }

    /** Sends a frame of the person's n-th image and returns its best face's match. */
    private static MatchRecord match(String person, int n) throws Exception {
        long seq = sequence();
        send("cam", Files.readAllBytes(EmbedderTopologyTest.lfw(person, n)), headers(seq));
        return awaitMatch(seq);
    }

    private static MatchRecord awaitMatch(long seq) throws Exception {
        await("match of frame " + seq, () -> {
            poll();
            return matches.containsKey(seq);
        });
        return matches.get(seq);
    }

    private static synchronized void poll() {
        for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(100))) {
            if (r.topic().equals(TOPICS.matches())) {
                MatchRecord m = MatchCodec.decode(r.value());
                if (m.face() == 0) {
                    matches.put(m.sequence(), m);
                }
            } else {
                deadLetters.put(header(r, DeadLetters.SOURCE_TOPIC) + "@" + header(r, DeadLetters.SOURCE_OFFSET), r);
            }
        }
    }

    private static synchronized long sequence() {
        return sequence++;
    }

    private static Headers headers(long seq) {
        Headers h = new RecordHeaders();
        FrameRecordHeaders.put(h, FrameHeaders.SEQUENCE, Long.toString(seq));
        return h;
    }

    private static RecordMetadata send(String key, byte[] image, Headers headers) throws Exception {
        return producer.send(new ProducerRecord<>(TOPICS.frames(), null, key, image, headers)).get();
    }

    private static RecordMetadata enroll(String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(TOPICS.enrollment(), key, value)).get();
    }

    private static void sendCentroid(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.centroids(), key, value)).get();
    }

    private static byte[] sample(String identity, float[] embedding) {
        return EnrollmentCodec.encode(new EnrollmentRecord(identity, identity, "poison", 0, new byte[0], Map.of(model, embedding)));
    }

    private static byte[] centroid(String identity, float[] vector) {
        return CentroidCodec.encode(new CentroidRecord(identity, identity, model, List.of("s1"), List.of(vector)));
    }

    /** A unit vector with all its weight on one axis. */
    private static float[] unit(int dimension, int axis) {
        float[] v = new float[dimension];
        v[axis] = 1;
        return v;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
