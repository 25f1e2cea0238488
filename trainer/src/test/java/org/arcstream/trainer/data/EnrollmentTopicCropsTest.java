package org.arcstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTopicCropsTest {

    /** Recognitions beside enrollment, no labels, the default cap. */
    private static final SampleRules RECOGNITIONS = new SampleRules("recognitions", null, SampleRules.PER_PERSON_CAMERA, 1);

    @TempDir
    Path tmp;
    private CropSpill spill;

    @BeforeEach
    void openSpill() {
        spill = CropSpill.create(tmp.resolve("run").resolve("crops.spill"));
    }

    @AfterEach
    void closeSpill() {
        spill.close();
    }

    private static RgbImage crop(int size, int shade) {
        byte[] px = new byte[3 * size * size];
        java.util.Arrays.fill(px, (byte) shade);
        return new RgbImage(size, size, px);
    }

    private static byte[] sample(String identity, RgbImage crop) {
        return EnrollmentCodec.encode(new EnrollmentRecord(identity, identity.toUpperCase(), "test", 1L,
                CropPng.encode(crop), Map.of("87aacdfe5751", new float[] {1f, 0f})));
    }

    @Test
    void readsTheLatestSamplesHonouringTombstonesAndSkippingBadRecords() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("enrollment", 2));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>("enrollment", "ann/1", sample("ann", crop(112, 10))));
                p.send(new ProducerRecord<>("enrollment", "ann/2", sample("ann", crop(112, 20))));
                p.send(new ProducerRecord<>("enrollment", "ann/1", sample("ann", crop(112, 30))));
                p.send(new ProducerRecord<>("enrollment", "bob/1", sample("bob", crop(112, 40))));
                p.send(new ProducerRecord<>("enrollment", "bob/2", sample("bob", crop(112, 50))));
                p.send(new ProducerRecord<>("enrollment", "bob/2", null));
                p.send(new ProducerRecord<>("enrollment", "cat/1", "garbage".getBytes(StandardCharsets.UTF_8)));
                p.send(new ProducerRecord<>("enrollment", "no-slash", sample("dan", crop(112, 60))));
                p.send(new ProducerRecord<>("enrollment", "eve/1", sample("eve", crop(96, 70))));
                p.flush();
            }
            GalleryCrops.Loaded loaded = EnrollmentTopicCrops.read(broker.clientConfig(), "enrollment", 112, Duration.ofSeconds(20), spill);
            assertEquals(List.of("ann/1", "ann/2", "bob/1"), loaded.crops().stream().map(LabeledCrop::source).toList());
            assertEquals(List.of("ann", "ann", "bob"), loaded.crops().stream().map(LabeledCrop::identity).toList());
            assertArrayEquals(crop(112, 30).pixels(), loaded.crops().get(0).crop().pixels());
            assertEquals(3, loaded.skipped());
            // the crops wait on disk, and closing the spill deletes them
            assertTrue(Files.isRegularFile(tmp.resolve("run").resolve("crops.spill")));
            spill.close();
            assertFalse(Files.exists(tmp.resolve("run").resolve("crops.spill")));
        }
    }

    /**
     * A person deleted through the embedder, as the topic then reads: their samples, the delete's tombstones,
     * a promotion's late rewrite of one sample and the embedder's tombstone answering it, and a segment-roll
     * tombstone. The next run's data holds nobody but the others, and nothing counts as skipped.
     */
    @Test
    void aDeletedPersonIsNotInTheNextRunsData() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("enrollment", 1));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>("enrollment", "gus/1", sample("gus", crop(112, 10))));
                p.send(new ProducerRecord<>("enrollment", "gus/2", sample("gus", crop(112, 20))));
                p.send(new ProducerRecord<>("enrollment", "bob/1", sample("bob", crop(112, 40))));
                p.send(new ProducerRecord<>("enrollment", "gus/1", null));
                p.send(new ProducerRecord<>("enrollment", "gus/2", null));
                ProducerRecord<String, byte[]> rewrite = new ProducerRecord<>("enrollment", "gus/1", sample("gus", crop(112, 10)));
                rewrite.headers().add("arcstream.rewrite", "1".getBytes(StandardCharsets.US_ASCII));
                p.send(rewrite);
                p.send(new ProducerRecord<>("enrollment", "gus/1", null));
                p.send(new ProducerRecord<>("enrollment", "segment-roll", null));
                p.flush();
            }
            GalleryCrops.Loaded loaded = EnrollmentTopicCrops.read(broker.clientConfig(), "enrollment", 112, Duration.ofSeconds(20), spill);
            assertEquals(List.of("bob/1"), loaded.crops().stream().map(LabeledCrop::source).toList());
            assertEquals(0, loaded.skipped());
        }
    }

    @Test
    void recordsWithoutAKeyAndKeysBeyondTheirLimitsAreSkippedAndCountedAndTheRestIsRead() {
        String id128 = "i".repeat(128);
        String sample255 = "s".repeat(255);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("enrollment", 1));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                // a key-less tombstone first: the key-less sample after it is what the read is left with
                p.send(new ProducerRecord<>("enrollment", null, null));
                p.send(new ProducerRecord<>("enrollment", null, sample("ann", crop(112, 10))));
                p.send(new ProducerRecord<>("enrollment", id128 + "/1", sample(id128, crop(112, 20))));
                p.send(new ProducerRecord<>("enrollment", "i".repeat(129) + "/1", sample("bob", crop(112, 30))));
                p.send(new ProducerRecord<>("enrollment", "cat/" + sample255, sample("cat", crop(112, 40))));
                p.send(new ProducerRecord<>("enrollment", "cat/" + sample255 + "s", sample("cat", crop(112, 50))));
                p.send(new ProducerRecord<>("enrollment", "k".repeat(500_000), sample("dan", crop(112, 60))));
                p.send(new ProducerRecord<>("enrollment", "eve/1", sample("eve", crop(112, 70))));
                p.flush();
            }
            GalleryCrops.Loaded loaded = EnrollmentTopicCrops.read(broker.clientConfig(), "enrollment", 112, Duration.ofSeconds(20), spill);
            assertEquals(List.of("cat/" + sample255, "eve/1", id128 + "/1"), loaded.crops().stream().map(LabeledCrop::source).toList());
            assertEquals(5, loaded.skipped(), "two without a key, an identity id and a sample id beyond their limits, a key without '/'");
        }
    }

    /**
     * The embedder's confident recognitions (compacted topic {@code recognitions}, keyed identity/camera/slot) become
     * training crops labelled with their camera; once a person is deleted (their enrollment samples tombstoned) their
     * recognitions are left out of the next run's data, before compaction has removed them from the topic.
     */
    @Test
    void recognitionsOfEnrolledPeopleAreTrainedOnAndADeletedPersonsAreNot() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("enrollment", 1, "recognitions", 2));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>("enrollment", "ann/1", sample("ann", crop(112, 10))));
                p.send(new ProducerRecord<>("enrollment", "gus/1", sample("gus", crop(112, 20))));
                p.send(new ProducerRecord<>("recognitions", "ann/cam-1/0", sample("ann", crop(112, 30))));
                p.send(new ProducerRecord<>("recognitions", "gus/cam-2/0", sample("gus", crop(112, 40))));
                p.send(new ProducerRecord<>("recognitions", "gus/cam-2/1", sample("gus", crop(112, 50))));
                // the newest sample of a slot replaces the one before
                p.send(new ProducerRecord<>("recognitions", "ann/cam-1/0", sample("ann", crop(112, 60))));
                p.flush();
            }
            GalleryCrops.Loaded before = EnrollmentTopicCrops.read(broker.clientConfig(), "enrollment", RECOGNITIONS, 112,
                    Duration.ofSeconds(20), spill);
            assertEquals(List.of("ann/1", "gus/1", "ann/cam-1/0", "gus/cam-2/0", "gus/cam-2/1"),
                    before.crops().stream().map(LabeledCrop::source).sorted(java.util.Comparator.comparing((String k) -> k.split("/").length)
                            .thenComparing(k -> k)).toList());
            LabeledCrop ann = before.crops().stream().filter(c -> c.source().equals("ann/cam-1/0")).findFirst().orElseThrow();
            assertEquals("ann", ann.identity());
            assertEquals("cam-1", ann.camera());
            assertArrayEquals(crop(112, 60).pixels(), ann.crop().pixels());
            assertEquals(null, before.crops().stream().filter(c -> c.source().equals("ann/1")).findFirst().orElseThrow().camera());

            // gus is deleted: the embedder tombstones his enrollment samples
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>("enrollment", "gus/1", null));
                p.flush();
            }
            GalleryCrops.Loaded after = EnrollmentTopicCrops.read(broker.clientConfig(), "enrollment", RECOGNITIONS, 112,
                    Duration.ofSeconds(20), spill);
            assertEquals(List.of("ann"), after.crops().stream().map(LabeledCrop::identity).distinct().toList());
            assertEquals(List.of("ann/1", "ann/cam-1/0"), after.crops().stream().map(LabeledCrop::source).sorted().toList());
            assertEquals(0, after.skipped(), "a deleted person's recognitions are not bad records");
        }
    }
}
