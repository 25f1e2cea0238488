package org.arcstream.trainer.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.trainer.TinyOnnx;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.publish.ModelPublisher;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run starts from the model the embedders use (the active-model topic), on a real broker. */
class StartingModelOnKafkaTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private TrainingJob job(FileModelStore store, String modelsTopic, String activeTopic) {
        return new TrainingJob(null, broker.clientConfig(), "enrollment", modelsTopic, activeTopic, null, store,
                FineTuneSettings.defaults(), GatePolicy.defaults(), InferenceOptions.defaults());
    }

    /** v1 imported, v2 trained from it, accepted and announced: the store's newest is v2. */
    private String[] twoVersions(FileModelStore store, String modelsTopic) throws Exception {
        String v1 = store.put(ModelDraft.imported(TinyOnnx.write(tmp.resolve("v1.onnx"), 1f))).version();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
            String v2 = new ModelPublisher(store, producer, modelsTopic, 10_000).publish(new ModelDraft(
                    TinyOnnx.write(tmp.resolve("v2.onnx"), 2f), v1, Map.of(), Map.of(), "accepted", "not worse")).modelVersion();
            return new String[] {v1, v2};
        }
    }

    private void activate(String topic, ActiveModel record) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
            producer.send(new ProducerRecord<>(topic, ActiveModel.KEY, ActiveModelCodec.encode(record))).get();
        }
    }

    @Test
    void aRollBackIsWhereTheNextRunStarts() throws Exception {
        broker.createTopics(Map.of("models-rb", 1, "active-rb", 1));
        FileModelStore store = new FileModelStore(tmp.resolve("store"));
        String[] v = twoVersions(store, "models-rb");
        activate("active-rb", ActiveModel.of(v[1], v[0], "promoted", 1));
        activate("active-rb", ActiveModel.of(v[0], v[1], "rolled-back", 2));
        // a value the embedders cannot read is passed over, as they pass over it
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
            producer.send(new ProducerRecord<>("active-rb", ActiveModel.KEY, "x".getBytes())).get();
        }

        assertEquals(v[1], store.latest().orElseThrow().version(), "the store's newest is the model that was rolled back");
        assertEquals(v[0], job(store, "models-rb", "active-rb").startingModel().version());
    }

    @Test
    void theStoresNewestWhenTheActiveModelIsNotInTheStoreOrNoneIsNamed() throws Exception {
        broker.createTopics(Map.of("models-fb", 1, "active-fb", 1));
        FileModelStore store = new FileModelStore(tmp.resolve("store"));
        String[] v = twoVersions(store, "models-fb");

        assertEquals(v[1], job(store, "models-fb", "no-such-topic").startingModel().version(), "no embedder has switched models");
        assertEquals(v[1], job(store, "models-fb", "active-fb").startingModel().version(), "the topic names no model yet");
        activate("active-fb", ActiveModel.of("0123456789ab", null, "new-model", 1));
        assertEquals(v[1], job(store, "models-fb", "active-fb").startingModel().version(), "the active model is not in this store");
        activate("active-fb", ActiveModel.of(v[0], v[1], "rolled-back", 2));
        assertEquals(v[0], job(store, "models-fb", "active-fb").startingModel().version());
    }
}
