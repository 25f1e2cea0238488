package org.arcstream.trainer.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.trainer.data.CropSpill;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.data.SampleRules;
import org.arcstream.trainer.publish.ModelDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data a training job takes from the topics (enrollment, recognitions, labels) on a real in-process broker: the
 * floor of samples per person, the cap per person and camera, the operators' labels, a re-enrolled id.
 */
class TrainingDataOnBrokerTest {

    private static final SampleRules RULES = new SampleRules("recognitions", "labels", 2, 3);
    /** Capture times of recognitions, all after the enrollments at {@link #ENROLLED_AT}. */
    private static final long ENROLLED_AT = 1_000;

    @TempDir
    Path tmp;
    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, byte[]> producer;
    private CropSpill spill;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
        spill = CropSpill.create(tmp.resolve("run").resolve(CropSpill.FILE_NAME));
    }

    @AfterEach
    void stop() {
        spill.close();
        producer.close();
        broker.close();
    }

    private static byte[] sample(String identity, String source, long at) {
        byte[] px = new byte[3 * 112 * 112];
        Arrays.fill(px, (byte) (at % 251));
        return EnrollmentCodec.encode(new EnrollmentRecord(identity, identity, source, at, CropPng.encode(new RgbImage(112, 112, px)),
                Map.of("87aacdfe5751", new float[] {1f, 0f})));
    }

    private void enroll(String identity, int samples) {
        for (int i = 0; i < samples; i++) {
            send(new ProducerRecord<>("enrollment", identity + "/" + i, sample(identity, "upload", ENROLLED_AT + i)));
        }
    }

    /**
     * One record at a time, acknowledged: right after a topic is created its partition may not have a leader yet, and
     * several batches in flight then come back out of order and fail.
     */
    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("not written: " + record.topic() + " " + record.key(), e);
        }
    }

    private void recognized(String identity, String camera, int slot, long capturedAt) {
        send(new ProducerRecord<>("recognitions", identity + "/" + camera + "/" + slot, sample(identity, camera, capturedAt)));
    }

    private GalleryCrops.Loaded data(SampleRules rules) {
        producer.flush();
        return new TrainingJob(null, broker.clientConfig(), "enrollment", "models", "active-model", null, null, null, null, null,
                ModelDelivery.FROM_STORE, rules).topicData(112, spill);
    }

    private static List<String> sources(GalleryCrops.Loaded data) {
        return data.crops().stream().map(LabeledCrop::source).sorted().toList();
    }

    @Test
    void aPersonWithFewerThanTheMinimumSamplesIsNotTrainedOn() {
        broker.createTopics(Map.of("enrollment", 1, "recognitions", 2));
        enroll("ann", 3);
        enroll("bob", 2);
        // two enrollment samples and a recognition: three samples in all
        enroll("cat", 2);
        recognized("cat", "gate", 0, 5_000);
        assertEquals(List.of("ann/0", "ann/1", "ann/2", "cat/0", "cat/1", "cat/gate/0"), sources(data(RULES)));
        assertEquals(List.of("ann/0", "ann/1", "ann/2", "bob/0", "bob/1", "cat/0", "cat/1", "cat/gate/0"),
                sources(data(RULES.withMinSamples(1))), "with a floor of 1, everybody");
    }

    @Test
    void aBusyCameraGivesEachPersonAtMostTheCapOfItsNewestRecognitions() {
        broker.createTopics(Map.of("enrollment", 1, "recognitions", 3));
        enroll("ann", 3);
        // slots as the embedder rotates them: slot 0 overwritten by the newest
        recognized("ann", "hall", 0, 5_000);
        recognized("ann", "hall", 1, 6_000);
        recognized("ann", "hall", 2, 7_000);
        recognized("ann", "hall", 3, 8_000);
        recognized("ann", "hall", 0, 9_000);
        recognized("ann", "gate", 0, 5_500);
        GalleryCrops.Loaded data = data(RULES);
        assertEquals(List.of("ann/0", "ann/1", "ann/2", "ann/gate/0", "ann/hall/0", "ann/hall/3"), sources(data),
                "the two newest of the busy camera (9,000 and 8,000) and the quiet camera's one");
        assertEquals(List.of("gate", "hall", "hall"), data.crops().stream().map(LabeledCrop::camera).filter(c -> c != null).sorted().toList());
    }

    @Test
    void aRecognitionAnOperatorMarkedWrongIsNotASampleOfThatPerson() {
        broker.createTopics(Map.of("enrollment", 1, "recognitions", 2, "labels", 2));
        enroll("ann", 3);
        recognized("ann", "gate", 0, 5_000);
        recognized("ann", "gate", 1, 6_000);
        recognized("ann", "hall", 0, 6_000);
        // as the console writes it (docs/topics.md, labels): the face of gate at 6,000 is not ann
        send(new ProducerRecord<>("labels", "gate", label("wrong-identity", "gate", 6_000, "ann")));
        // another kind, and another person's face at the same moment, take nothing away
        send(new ProducerRecord<>("labels", "gate", label("unknown-named", "gate", 5_000, "ann")));
        send(new ProducerRecord<>("labels", "hall", label("wrong-identity", "hall", 6_000, "bob")));
        send(new ProducerRecord<>("labels", "hall", "not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("ann/0", "ann/1", "ann/2", "ann/gate/0", "ann/hall/0"), sources(data(RULES)));
        assertEquals(List.of("ann/0", "ann/1", "ann/2", "ann/gate/0", "ann/gate/1", "ann/hall/0"),
                sources(data(new SampleRules("recognitions", null, 2, 3))), "without labels, every recognition");
    }

    private static byte[] label(String kind, String camera, long capturedAt, String identity) {
        return ("{\"v\":1,\"kind\":\"" + kind + "\",\"camera\":\"" + camera + "\",\"sequence\":42,\"face\":0,\"captured_at\":" + capturedAt
                + ",\"identity\":\"" + identity + "\",\"score\":0.47,\"model_version\":\"c20fa0d6420a\",\"embedding\":null,"
                + "\"marked_at\":1763000009000,\"marked_by\":\"admin\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecognitionFromBeforeThePersonWasEnrolledAgainIsNotTrainedOn() {
        broker.createTopics(Map.of("enrollment", 1, "recognitions", 2));
        // ann was enrolled at 1,000, recognized at 500 under an earlier enrollment of the same id, and at 5,000
        enroll("ann", 3);
        recognized("ann", "gate", 0, 500);
        recognized("ann", "gate", 1, 5_000);
        assertEquals(List.of("ann/0", "ann/1", "ann/2", "ann/gate/1"), sources(data(RULES)));
    }

    @Test
    void withoutARecognitionsOrLabelsTopicARunTrainsOnTheEnrollmentSamples() {
        broker.createTopics(Map.of("enrollment", 1));
        enroll("ann", 3);
        assertEquals(List.of("ann/0", "ann/1", "ann/2"), sources(data(RULES)));
        assertEquals(List.of("ann/0", "ann/1", "ann/2"), sources(data(SampleRules.enrollmentOnly())));
    }
}
