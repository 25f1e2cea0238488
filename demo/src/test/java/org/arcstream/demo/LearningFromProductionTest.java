package org.arcstream.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
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
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.core.topics.RecognitionKey;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.LearningSettings;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.trainer.data.CropSpill;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.data.SampleRules;
import org.arcstream.trainer.finetune.TrainingJob;
import org.arcstream.trainer.publish.ModelDelivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning from production, from a camera's frame to a training run's data, on a real in-process broker with the
 * real models: an embedder keeps its confident matches on the recognitions topic, and the trainer's job takes them
 * into its data set; deleting a person tombstones their recognitions, and the next run's data holds none of them.
 */
class LearningFromProductionTest {

    private static final float THRESHOLD = 0.38f;
    private static final List<String> ENROLLED = List.of("George_W_Bush", "Colin_Powell", "Donald_Rumsfeld");
    /** Deleted by one test; the other tests leave this person alone. */
    private static final String DELETED = "Donald_Rumsfeld";
    private static final String CAMERA = "cam-1";
    /** Every confident match is kept (no interval), over up to five slots per person and camera. */
    private static final LearningSettings LEARNING = new LearningSettings(true, 0.6f, 0.15f, 5, Duration.ZERO);
    private static final TopicNames TOPICS = TopicNames.defaults();

    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static KafkaEmbedderRuntime embedder;
    private static Path stateDir;
    private static FacePipelineConfig config;
    private static List<MatchRecord> matches;

    @TempDir
    Path tmp;

    @BeforeAll
    static void enrollAndFilm() throws Exception {
        Path dir = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        Map<String, List<Path>> lfw = Enroller.scan(dir).stream().collect(Collectors.groupingBy(Enroller.GalleryImage::identity,
                TreeMap::new, Collectors.mapping(Enroller.GalleryImage::file, Collectors.toList())));
        config = FacePipelineConfig.from(Settings.load(null));
        stateDir = Files.createTempDirectory("learning-e2e");
        pipelines = new FacePipelinePool(config);
        broker = EmbeddedKafkaBroker.start();
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("learning-e2e").withStateDir(stateDir).withLearning(LEARNING), pipelines, new MatchThreshold(THRESHOLD),
                PipelineListener.NONE);
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
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            long sequence = 0;
            for (Path frame : frames) {
                RecordHeaders headers = new RecordHeaders();
                FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, CAMERA);
                FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence++));
                FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
                producer.send(new ProducerRecord<>(TOPICS.frames(), null, CAMERA, Files.readAllBytes(frame), headers)).get();
            }
        }
        // the recognitions are written in the same transactions as the matches: once every frame's matches are
        // committed, so are they
        matches = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(TOPICS.matches()));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (matches.stream().map(MatchRecord::sequence).distinct().count() < frames.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> matches.add(MatchCodec.decode(r.value())));
            }
        }
        assertEquals(frames.size(), matches.stream().map(MatchRecord::sequence).distinct().count(), "every frame matched: " + matches);
    }

    @AfterAll
    static void stop() throws Exception {
        if (embedder != null) {
            embedder.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (pipelines != null) {
            pipelines.close();
        }
        if (stateDir != null) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aConfidentRecognitionBecomesATrainingSampleOfTheRunsData() {
        Map<String, ConsumerRecord<String, byte[]>> kept = liveRecognitions();
        List<MatchRecord> confident = matches.stream()
                .filter(m -> m.known() && !m.identity().equals(DELETED) && LEARNING.confident(m.score(), m.runnerUpScore())).toList();
        assertFalse(confident.isEmpty(), "some frames of enrolled people match confidently: " + matches);
        Set<String> keptPeople = new HashSet<>();
        kept.keySet().forEach(k -> keptPeople.add(RecognitionKey.parse(k).identityId()));
        keptPeople.remove(DELETED);
        assertEquals(confident.stream().map(MatchRecord::identity).collect(Collectors.toSet()), keptPeople,
                "the embedder kept a recognition of each person matched confidently");

        try (CropSpill spill = CropSpill.create(tmp.resolve("run").resolve(CropSpill.FILE_NAME))) {
            GalleryCrops.Loaded data = job().topicData(config.embedding().inputSize(), spill);
            Map<String, LabeledCrop> fromCameras = data.crops().stream().filter(c -> c.camera() != null)
                    .collect(Collectors.toMap(LabeledCrop::source, c -> c));
            for (MatchRecord m : confident) {
                List<LabeledCrop> ofPerson = fromCameras.values().stream().filter(c -> c.identity().equals(m.identity())).toList();
                assertFalse(ofPerson.isEmpty(), "a training sample of " + m.identity() + " from the camera: " + data.crops());
            }
            for (Map.Entry<String, ConsumerRecord<String, byte[]>> e : kept.entrySet()) {
                RecognitionKey key = RecognitionKey.parse(e.getKey());
                if (key.identityId().equals(DELETED)) {
                    continue;
                }
                LabeledCrop crop = fromCameras.get(e.getKey());
                assertTrue(crop != null, "recognition " + e.getKey() + " is a training sample: " + fromCameras.keySet());
                assertEquals(key.identityId(), crop.identity());
                assertEquals(CAMERA, crop.camera());
                // the very face the matcher saw, aligned
                assertArrayEquals(CropPng.decode(EnrollmentCodec.decode(e.getValue().value()).cropPng(), config.embedding().inputSize())
                        .pixels(), crop.crop().pixels());
            }
        }
    }

    @Test
    void deletingAPersonTombstonesTheirRecognitionsAndTheNextRunsDataHasNoneOfThem() {
        Set<String> before = liveRecognitions().keySet().stream().filter(k -> k.startsWith(DELETED + "/")).collect(Collectors.toSet());
        assertFalse(before.isEmpty(), DELETED + " was recognized confidently: " + matches);

        assertTrue(embedder.gallery().delete(DELETED));

        Map<String, ConsumerRecord<String, byte[]>> after = liveRecognitions();
        assertTrue(after.keySet().stream().noneMatch(k -> k.startsWith(DELETED + "/")), "every recognition tombstoned: " + after.keySet());
        assertFalse(after.isEmpty(), "the others' recognitions stay");
        try (CropSpill spill = CropSpill.create(tmp.resolve("run").resolve(CropSpill.FILE_NAME))) {
            GalleryCrops.Loaded data = job().topicData(config.embedding().inputSize(), spill);
            assertTrue(data.crops().stream().noneMatch(c -> c.identity().equals(DELETED)), "nothing of " + DELETED + ": " + data.crops());
            assertTrue(data.crops().stream().anyMatch(c -> c.camera() != null), "the others' recognitions are still trained on");
        }
    }

    /** The job as the trainer service runs it with its default sample rules. */
    private static TrainingJob job() {
        return new TrainingJob(null, broker.clientConfig(), TOPICS.enrollment(), "models", "active-model", null, null, null, null, null,
                ModelDelivery.FROM_STORE, SampleRules.defaults());
    }

    /** The recognitions topic's latest value per key, tombstoned keys left out. */
    private static Map<String, ConsumerRecord<String, byte[]>> liveRecognitions() {
        Map<String, ConsumerRecord<String, byte[]>> live = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            org.arcstream.kafka.TopicScan.read(consumer, TOPICS.recognitions(), Duration.ofSeconds(30), r -> {
                if (r.value() == null) {
                    live.remove(r.key());
                } else {
                    live.put(r.key(), r);
                }
            });
        }
        return live;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
