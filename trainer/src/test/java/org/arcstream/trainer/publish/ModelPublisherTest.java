package org.arcstream.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.core.topics.RocCurve;
import org.arcstream.trainer.TinyOnnx;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPublisherTest {

    private static final RocCurve ROC = new RocCurve(List.of(0.01, 0.1, 1.0), List.of(0.8, 0.95, 1.0), List.of(0.7, 0.9, 1.0));

    @TempDir
    Path tmp;

    @Test
    void storesTheModelThenSendsItsEventKeyedByVersion() throws Exception {
        Path onnx = TinyOnnx.write(tmp.resolve("m.onnx"), 4f);
        FileModelStore store = new FileModelStore(tmp.resolve("store"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("models", 1));
            ModelEvent sent;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
                sent = new ModelPublisher(store, producer, "models", 10_000).publish(new ModelDraft(onnx, "87aacdfe5751",
                        Map.of("train_images", 12), Map.of("heldout_identities.auc", 0.91), "accepted", "not worse", Map.of("heldout_identities", ROC)));
            }
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "group.id", "test", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("models"));
                long deadline = System.currentTimeMillis() + 20_000;
                while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
            }
            assertEquals(1, records.size());
            ModelEvent received = ModelEventCodec.decode(records.get(0).value());
            assertEquals(sent, received);
            assertEquals(Sha256.modelId(onnx), records.get(0).key());
            assertEquals(Sha256.hex(onnx), received.sha256());
            assertEquals("87aacdfe5751", received.parentVersion());
            assertEquals(0.91, received.metrics().get("heldout_identities.auc"));
            // the location names the stored copy, whose bytes are the published model's
            assertArrayEquals(Files.readAllBytes(onnx), Files.readAllBytes(Path.of(URI.create(received.location()))));
            assertEquals(received.modelVersion(), store.get(received.modelVersion()).version());
            // the ROC curve goes into the stored metadata and, from there, into the event
            assertEquals(Map.of("heldout_identities", ROC), store.get(received.modelVersion()).metadata().roc());
            assertEquals(Map.of("heldout_identities", ROC), received.roc());
        }
    }
}
