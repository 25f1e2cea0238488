package org.arcstream.trainer.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.trainer.SharedData;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.StoredModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on a real broker: enrollment samples in, an accepted model into the store and onto the models topic. */
class TrainingJobOnKafkaTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void trainsOnTheEnrollmentTopicAndAnnouncesTheAcceptedModel() throws Exception {
        List<LabeledCrop> crops;
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(Settings.load(null)))) {
            crops = GalleryCrops.load(SharedData.smallGallery(tmp.resolve("gallery"), 5, 4), pipeline).crops();
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("enrollment", 2, "models", 1));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                int n = 0;
                for (LabeledCrop c : crops) {
                    EnrollmentRecord r = new EnrollmentRecord(c.identity(), c.identity(), c.source(), 1L, CropPng.encode(c.crop()),
                            Map.of("87aacdfe5751", new float[] {1f}));
                    p.send(new ProducerRecord<>("enrollment", c.identity() + "/" + (n++), EnrollmentCodec.encode(r)));
                }
                p.flush();
            }
            FileModelStore store = new FileModelStore(tmp.resolve("store"));
            FineTuneSettings settings = new FineTuneSettings(1, 8, 1e-3, "sgd", 0, 2, 32, 0.5, 0.4, 1, 5);
            TrainingJob job = new TrainingJob(null, broker.clientConfig(), "enrollment", "models", "active-model", null, store, settings,
                    GatePolicy.defaults(), InferenceOptions.defaults());
            RunReport report = job.run(tmp.resolve("run"), TrainingProgress.NONE);

            assertEquals(crops.size(), report.dataCounts().get("train_images") + report.dataCounts().get("heldout_images")
                    + report.dataCounts().get("heldout_identity_images"));
            assertTrue(report.gate().accepted(), report.gate().reason());
            List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "group.id", "check", "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("models"));
                long deadline = System.currentTimeMillis() + 20_000;
                while (events.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(events::add);
                }
            }
            assertEquals(1, events.size());
            ModelEvent event = ModelEventCodec.decode(events.get(0).value());
            assertEquals(report.publishedVersion(), event.modelVersion());
            StoredModel stored = store.get(event.modelVersion());
            assertEquals(Sha256.hex(stored.onnxFile()), event.sha256());
            assertEquals(report.parentVersion(), event.parentVersion());
            assertEquals("imported", store.get(report.parentVersion()).metadata().gateDecision());
            assertEquals(event.modelVersion(), store.latest().orElseThrow().version());
        }
    }
}
