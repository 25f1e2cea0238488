package org.arcstream.embedder.stream;

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
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.core.topics.RecognitionKey;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Learning from production on a real in-process broker: two people enrolled, frames of them and of a stranger
 * streamed from one camera; every confident match (and nothing else) becomes a recognitions record holding the
 * face's aligned crop, identity, camera and embedding.
 */
class LearningOnBrokerTest {

    private static final float THRESHOLD = 0.38f;
    private static final List<String> ENROLLED = List.of("George_W_Bush", "Colin_Powell");
    private static final String STRANGER = "Tony_Blair";
    /** Every confident match is kept (no interval), over two slots per person and camera. */
    private static final LearningSettings LEARNING = new LearningSettings(true, 0.6f, 0.15f, 2, Duration.ZERO);

    @Test
    void aConfidentMatchBecomesATrainingSampleWithItsCropAndNothingElseDoes() throws Exception {
        Path dir = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        Map<String, List<Path>> lfw = Enroller.scan(dir).stream().collect(Collectors.groupingBy(Enroller.GalleryImage::identity,
                TreeMap::new, Collectors.mapping(Enroller.GalleryImage::file, Collectors.toList())));
        TopicNames topics = TopicNames.defaults();
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        Path stateDir = Files.createTempDirectory("learning-it");
        List<MatchRecord> matches = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> recognitions = new ArrayList<>();
        try (FacePipelinePool pipelines = new FacePipelinePool(config);
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaEmbedderRuntime embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config,
                        THRESHOLD).withApplicationId("learning-it").withStateDir(stateDir).withLearning(LEARNING), pipelines,
                        new MatchThreshold(THRESHOLD), PipelineListener.NONE);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "reader",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
            for (String id : ENROLLED) {
                List<EnrollImage> images = new ArrayList<>();
                for (Path file : lfw.get(id).subList(0, 3)) {
                    images.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
                }
                assertEquals(3, embedder.gallery().enroll(id, id, images, OptionalInt.empty()).acceptedSamples().size(), id);
            }
            List<Path> frames = new ArrayList<>();
            for (String id : ENROLLED) {
                frames.addAll(lfw.get(id).subList(3, 7));
            }
            frames.addAll(lfw.get(STRANGER).subList(0, 3));
            long sequence = 0;
            for (Path frame : frames) {
                RecordHeaders headers = new RecordHeaders();
                FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "cam-1");
                FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence++));
                FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
                producer.send(new ProducerRecord<>(topics.frames(), null, "cam-1", Files.readAllBytes(frame), headers)).get();
            }
            consumer.subscribe(List.of(topics.matches(), topics.recognitions()));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            // each frame gives at least one match; the recognitions come in the same transactions as their matches
            while (matches.stream().map(MatchRecord::sequence).distinct().count() < frames.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.matches())) {
                        matches.add(MatchCodec.decode(r.value()));
                    } else if (r.value() != null) { // not a segment-roll tombstone of the enrollment stage
                        recognitions.add(r);
                    }
                }
            }
            // anything still to come from the last transaction
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                if (r.topic().equals(topics.recognitions()) && r.value() != null) {
                    recognitions.add(r);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertEquals(frames(matches), 4 * ENROLLED.size() + 3, "every frame matched: " + matches);
        List<MatchRecord> confident = matches.stream().filter(m -> m.known() && LEARNING.confident(m.score(), m.runnerUpScore())).toList();
        assertTrue(!confident.isEmpty(), "some frames of enrolled people match confidently: " + matches);
        assertTrue(confident.size() < matches.size(), "the stranger's frames do not: " + matches);
        // the same faces: identity and capture time of each confident match, of each sample
        assertEquals(confident.stream().map(m -> m.identity() + "@" + m.capturedAt()).sorted().toList(),
                recognitions.stream().map(r -> EnrollmentCodec.decode(r.value())).map(s -> s.identityId() + "@" + s.enrolledAtMillis())
                        .sorted().toList(), "one sample per confident match");
        String model = matches.get(0).modelVersion();
        for (ConsumerRecord<String, byte[]> r : recognitions) {
            RecognitionKey key = RecognitionKey.parse(r.key());
            EnrollmentRecord sample = EnrollmentCodec.decode(r.value());
            assertEquals(sample.identityId(), key.identityId());
            assertEquals("cam-1", key.camera());
            assertTrue(key.slot() < LEARNING.perPersonCamera(), "slot " + key.slot());
            assertEquals("cam-1", sample.source());
            RgbImage crop = CropPng.decode(sample.cropPng(), config.embedding().inputSize());
            assertEquals(3 * crop.width() * crop.height(), crop.pixels().length);
            assertEquals(List.of(model), List.copyOf(sample.embeddings().keySet()));
        }
        assertTrue(recognitions.stream().noneMatch(r -> r.key().startsWith(STRANGER + "/")), "no sample of the stranger");
    }

    private static int frames(List<MatchRecord> matches) {
        return (int) matches.stream().map(MatchRecord::sequence).distinct().count();
    }
}
