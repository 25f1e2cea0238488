package org.arcstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.trainer.TinyOnnx;
import org.arcstream.trainer.data.CropSpill;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When it starts, the service announces a model that a stopped process stored but never announced, and
 * removes the training crops such a process left in its run folder. Real broker.
 */
class StartupReconciliationTest {

    @TempDir
    Path tmp;

    @Test
    void aModelLeftUnannouncedIsAnnouncedAndLeftOverCropsAreRemovedWhenTheServiceStarts() throws Exception {
        FileModelStore store = new FileModelStore(tmp.resolve("store"));
        String base = store.put(ModelDraft.imported(TinyOnnx.write(tmp.resolve("base.onnx"), 1f))).version();
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 2f);
        String version = store.put(new ModelDraft(trained, base, Map.of(), Map.of(), "accepted", "not worse")).version();
        Path leftOverCrops = Files.createDirectories(store.root().resolve("runs").resolve("killed-run")).resolve(CropSpill.FILE_NAME);
        Files.write(leftOverCrops, new byte[] {1, 2, 3});
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("models", 1));
            Map<String, Object> props = new HashMap<>();
            props.put("trainer.store-dir", store.root().toString());
            props.put("trainer.bootstrap-servers", broker.bootstrapServers());
            props.put("trainer.schedule-cron", "");
            props.put("trainer.admin.password", "s3cret");
            try (ApplicationContext context = ApplicationContext.run(props)) {
                context.getBean(TrainingService.class);
                List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                        "group.id", "check", "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of("models"));
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (events.isEmpty() && System.currentTimeMillis() < deadline) {
                        consumer.poll(Duration.ofMillis(200)).forEach(events::add);
                    }
                }
                assertEquals(1, events.size());
                assertEquals(version, events.get(0).key());
                assertEquals(Sha256.hex(trained), ModelEventCodec.decode(events.get(0).value()).sha256());
                // removed by the same start-up task, before the announcement
                assertFalse(Files.exists(leftOverCrops), "left-over crops still in " + leftOverCrops);
            }
        }
    }
}
