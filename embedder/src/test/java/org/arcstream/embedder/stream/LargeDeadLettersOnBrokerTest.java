package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
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
 * Frames far larger than the producer's default request limit, without a face, on a broker whose
 * topics are configured as deploy/k8s/topics-job/topics.yaml ships them (frames and dead-letter take 20 MiB):
 * each is dead-lettered with its size and sha256, whole where the dead-letter topic takes it and as a
 * reference beyond; the instance keeps running and the next good frame is matched.
 */
class LargeDeadLettersOnBrokerTest {

    /** max.message.bytes of frames and dead-letter in deploy/k8s/topics-job/topics.yaml. */
    private static final int SHIPPED_MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

    private static Path work;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelineConfig config;
    private static FacePipelinePool pipelines;
    private static KafkaProducer<String, byte[]> producer;
    private static byte[] frame1_5MB;
    private static byte[] frame15MB;
    private static byte[] colin;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("large-dead-letters");
        broker = EmbeddedKafkaBroker.start();
        config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 21 << 20, ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20),
                new StringSerializer(), new ByteArraySerializer());
        frame1_5MB = blankPng(1_500_000);
        frame15MB = blankPng(15_000_000);
        colin = Files.readAllBytes(EmbedderTopologyTest.lfw("Colin_Powell", 8));
    }

    @AfterAll
    static void stop() {
        TestResources.closeAll(producer, pipelines, broker);
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    void withTheShippedTopicsLargeFramesAreDeadLetteredWholeAndOnlyOneBeyondTheTopicLimitAsAReference() throws Exception {
        TopicNames topics = topics("shipped", SHIPPED_MAX_MESSAGE_BYTES);
        // as large as the frames topic takes (with a short key and header): its letter needs room for the dlq headers too
        byte[] atTheLimit = new byte[SHIPPED_MAX_MESSAGE_BYTES - 256];
        new Random(7).nextBytes(atTheLimit);
        try (Instance embedder = new Instance(topics)) {
            RecordMetadata small = embedder.send(frame1_5MB, 1);
            RecordMetadata large = embedder.send(frame15MB, 2);
            RecordMetadata huge = embedder.send(atTheLimit, 3);
            RecordMetadata good = embedder.send(colin, 4);

            assertWhole(embedder.deadLetter(small), frame1_5MB, "no-face");
            assertWhole(embedder.deadLetter(large), frame15MB, "no-face");
            ConsumerRecord<String, byte[]> reference = embedder.deadLetter(huge);
            assertReference(reference, atTheLimit, "oversized-image");
            assertEquals("cam", reference.key(), "a reference keeps the key");
            assertEquals("3", FrameRecordHeaders.string(reference.headers(), FrameHeaders.SEQUENCE), "and the original headers");
            assertEquals("Colin_Powell", embedder.match(good).identity());
            assertTrue(embedder.runtime.ready(), "still running: " + embedder.runtime.state());
        }
    }

    @Test
    void withADeadLetterTopicAtTheBrokerDefaultLargeFramesAreDeadLetteredAsReferences() throws Exception {
        TopicNames topics = topics("default", null);
        try (Instance embedder = new Instance(topics)) {
            RecordMetadata small = embedder.send(frame1_5MB, 1);
            RecordMetadata large = embedder.send(frame15MB, 2);
            RecordMetadata good = embedder.send(colin, 3);

            assertReference(embedder.deadLetter(small), frame1_5MB, "no-face");
            assertReference(embedder.deadLetter(large), frame15MB, "no-face");
            assertEquals("Colin_Powell", embedder.match(good).identity());
            assertTrue(embedder.runtime.ready(), "still running: " + embedder.runtime.state());
        }
    }

    private static void assertWhole(ConsumerRecord<String, byte[]> letter, byte[] frame, String kind) {
        assertTrue(FrameRecordHeaders.string(letter.headers(), DeadLetters.REASON).startsWith(kind + ":"),
                FrameRecordHeaders.string(letter.headers(), DeadLetters.REASON));
        assertEquals(DeadLetters.INCLUDED, FrameRecordHeaders.string(letter.headers(), DeadLetters.PAYLOAD));
        assertArrayEquals(frame, letter.value());
        assertEquals(Integer.toString(frame.length), FrameRecordHeaders.string(letter.headers(), DeadLetters.SIZE));
        assertEquals(DeadLetters.sha256(frame), FrameRecordHeaders.string(letter.headers(), DeadLetters.SHA256));
    }

    private static void assertReference(ConsumerRecord<String, byte[]> letter, byte[] frame, String kind) {
        assertTrue(FrameRecordHeaders.string(letter.headers(), DeadLetters.REASON).startsWith(kind + ":"),
                FrameRecordHeaders.string(letter.headers(), DeadLetters.REASON));
        assertEquals(DeadLetters.VALUE_OMITTED, FrameRecordHeaders.string(letter.headers(), DeadLetters.PAYLOAD));
        assertNull(letter.value());
        assertEquals(Integer.toString(frame.length), FrameRecordHeaders.string(letter.headers(), DeadLetters.SIZE));
        assertEquals(DeadLetters.sha256(frame), FrameRecordHeaders.string(letter.headers(), DeadLetters.SHA256));
    }

    /**
     * Topics of one test: frames taking 20 MiB as shipped, dead-letter taking {@code deadLetterMaxBytes}
     * (null: the broker's default), the others created by the embedder.
     */
    private static TopicNames topics(String name, Integer deadLetterMaxBytes) throws Exception {
        TopicNames topics = new TopicNames(name + "-frames", name + "-faces", name + "-matches", name + "-dead-letter",
                name + "-enrollment", name + "-centroids");
        NewTopic frames = new NewTopic(topics.frames(), 1, (short) 1)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(SHIPPED_MAX_MESSAGE_BYTES)));
        NewTopic deadLetter = new NewTopic(topics.deadLetter(), 1, (short) 1);
        if (deadLetterMaxBytes != null) {
            deadLetter.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(deadLetterMaxBytes)));
        }
        try (Admin admin = broker.admin()) {
            KafkaTopics.createMissing(admin, List.of(frames, deadLetter), Duration.ofSeconds(30));
        }
        return topics;
    }

    /** One embedder instance on its own topics, with Colin Powell enrolled, and readers of its outputs. */
    private static final class Instance implements AutoCloseable {

        final TopicNames topics;
        final KafkaEmbedderRuntime runtime;
        final KafkaConsumer<String, byte[]> results;
        final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

        Instance(TopicNames topics) throws Exception {
            this.topics = topics;
            runtime = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                    .withTopics(topics).withApplicationId("large-" + topics.frames()).withStateDir(work.resolve(topics.frames())),
                    pipelines, new MatchThreshold(0.38f), PipelineListener.NONE);
            assertTrue(runtime.awaitReady(Duration.ofMinutes(1)), "ready, state " + runtime.state());
            List<EnrollImage> images = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                images.add(new EnrollImage("colin" + n, Files.readAllBytes(EmbedderTopologyTest.lfw("Colin_Powell", n))));
            }
            runtime.gallery().enroll("Colin_Powell", "Colin Powell", images, OptionalInt.empty());
            await("enrolled", () -> runtime.gallery().identity("Colin_Powell").isPresent());
            results = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "results-" + topics.frames(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            results.subscribe(List.of(topics.matches(), topics.deadLetter()));
        }

        RecordMetadata send(byte[] image, long seq) throws Exception {
            Headers headers = new RecordHeaders();
            FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(seq));
            return producer.send(new ProducerRecord<>(topics.frames(), null, "cam", image, headers)).get();
        }

        ConsumerRecord<String, byte[]> deadLetter(RecordMetadata frame) throws Exception {
            return awaitRecord(r -> r.topic().equals(topics.deadLetter())
                    && Long.toString(frame.offset()).equals(FrameRecordHeaders.string(r.headers(), DeadLetters.SOURCE_OFFSET)));
        }

        MatchRecord match(RecordMetadata frame) throws Exception {
            return MatchCodec.decode(awaitRecord(r -> r.topic().equals(topics.matches()) && MatchCodec.decode(r.value()).offset() == frame.offset())
                    .value());
        }

        private ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> wanted) {
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : seen) {
                    if (wanted.test(r)) {
                        return r;
                    }
                }
                assertTrue(runtime.ready() || runtime.state().equals("REBALANCING"), "the instance stopped: " + runtime.state());
                results.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            throw new AssertionError("no such record within 90 s; seen " + seen.size() + " records");
        }

        @Override
        public void close() {
            results.close();
            runtime.close();
        }
    }

    /**
     * A face-less PNG of about {@code bytes}: a blank 200x200 image with a private ancillary chunk
     * (which decoders skip) making up the size, so its size costs no pixels and no detector time.
     */
    private static byte[] blankPng(int bytes) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(200, 200, BufferedImage.TYPE_3BYTE_BGR), "png", png);
        byte[] plain = png.toByteArray();
        int afterHeader = 8 + 8 + 13 + 4; // signature, IHDR length and type, IHDR data, CRC
        byte[] type = "prVt".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[Math.max(0, bytes - plain.length - 12)];
        new Random(bytes).nextBytes(data);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(data);
        ByteBuffer out = ByteBuffer.allocate(plain.length + 12 + data.length);
        out.put(plain, 0, afterHeader).putInt(data.length).put(type).put(data).putInt((int) crc.getValue());
        out.put(plain, afterHeader, plain.length - afterHeader);
        return out.array();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
