package org.arcstream.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.kafka.TopicSnapshot;
import org.arcstream.trainer.TinyOnnx;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store and the models topic agree after a reconciliation: nothing stays half-published. Real broker. */
class PublicationReconcilerTest {

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

    private FileModelStore store(long millis) {
        return new FileModelStore(tmp.resolve("store"), Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    private static ModelDraft accepted(Path file, String parent) {
        return new ModelDraft(file, parent, Map.of("train_images", 12), Map.of("heldout_identities.auc", 0.9), "accepted", "not worse");
    }

    private PublicationReconciler reconciler(String modelsTopic) {
        return new PublicationReconciler(store(0), broker.clientConfig(), modelsTopic, Duration.ofSeconds(20));
    }

    /** Every event on the topic by key, in the order written. */
    private static Map<String, ModelEvent> events(String topic) {
        Map<String, ModelEvent> events = new LinkedHashMap<>();
        TopicReads.snapshot(broker.clientConfig(), topic, Duration.ofSeconds(20), (k, v) -> true).map(TopicSnapshot::latest)
                .orElseThrow().forEach((k, v) -> events.put(k, ModelEventCodec.decode(v)));
        return events;
    }

    private static int recordCount(String topic) {
        return TopicReads.snapshot(broker.clientConfig(), topic, Duration.ofSeconds(20), (k, v) -> true)
                .map(s -> s.offsets().values().stream().mapToInt(o -> (int) (o + 1)).max().orElse(0)).orElseThrow();
    }

    @Test
    void aModelStoredButNeverAnnouncedIsAnnouncedOnce() throws Exception {
        broker.createTopics(Map.of("models-crash", 1));
        String parent = store(1000).put(ModelDraft.imported(TinyOnnx.write(tmp.resolve("base.onnx"), 1f))).version();
        // the process stopped after storing the accepted model, before its event was acknowledged
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 2f);
        String version = store(2000).put(accepted(trained, parent)).version();

        PublicationReconciler.Outcome outcome = reconciler("models-crash").reconcile();

        assertEquals(List.of(version), outcome.announced());
        assertEquals(List.of(), outcome.unpublished());
        Map<String, ModelEvent> events = events("models-crash");
        assertEquals(List.of(version), new ArrayList<>(events.keySet()), "only the accepted model; the imported one is not announced");
        ModelEvent event = events.get(version);
        assertEquals(Sha256.hex(trained), event.sha256());
        assertEquals(parent, event.parentVersion());
        assertEquals(2000, event.createdMillis());
        assertEquals(0.9, event.metrics().get("heldout_identities.auc"));

        PublicationReconciler.Outcome again = reconciler("models-crash").reconcile();
        assertEquals(List.of(), again.announced());
        assertEquals(1, recordCount("models-crash"), "a second reconciliation sends nothing");
    }

    @Test
    void unannouncedModelsOlderThanAnAnnouncedOneAreMarkedUnpublishedNotAnnounced() throws Exception {
        broker.createTopics(Map.of("models-old", 1));
        String base = store(1000).put(ModelDraft.imported(TinyOnnx.write(tmp.resolve("base.onnx"), 1f))).version();
        String older = store(2000).put(accepted(TinyOnnx.write(tmp.resolve("a.onnx"), 2f), base)).version();
        String announced;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
            announced = new ModelPublisher(store(3000), producer, "models-old", 10_000)
                    .publish(accepted(TinyOnnx.write(tmp.resolve("b.onnx"), 3f), base)).modelVersion();
        }
        // two unannounced models newer than the announced one: only the newest is announced
        String skipped = store(4000).put(accepted(TinyOnnx.write(tmp.resolve("c.onnx"), 4f), announced)).version();
        String newest = store(5000).put(accepted(TinyOnnx.write(tmp.resolve("d.onnx"), 5f), skipped)).version();

        PublicationReconciler.Outcome outcome = reconciler("models-old").reconcile();

        assertEquals(List.of(newest), outcome.announced());
        assertEquals(List.of(older, skipped), outcome.unpublished());
        assertEquals(List.of(announced, newest), new ArrayList<>(events("models-old").keySet()));
        FileModelStore store = store(0);
        assertTrue(store.get(older).metadata().unpublished().contains(announced), store.get(older).metadata().unpublished());
        assertTrue(store.get(skipped).metadata().unpublished().contains(newest), store.get(skipped).metadata().unpublished());
        assertNull(store.get(newest).metadata().unpublished());
        assertEquals("accepted", store.get(older).metadata().gateDecision(), "the gate's decision is kept");
        assertEquals(newest, store.latest().orElseThrow().version());

        // marked models stay marked and are not announced later either
        assertEquals(List.of(), reconciler("models-old").reconcile().unpublished());
        assertEquals(List.of(), reconciler("models-old").reconcile().announced());
        assertNotNull(store.get(skipped).metadata().unpublished());
        assertEquals(2, recordCount("models-old"), "the announced model and the newest, nothing else");
    }

    @Test
    void halfWrittenFoldersAreIgnoredThenRemoved() throws Exception {
        FileModelStore store = store(1000);
        String complete = store.put(ModelDraft.imported(TinyOnnx.write(tmp.resolve("base.onnx"), 1f))).version();
        // a store stopped while copying: the staging folder holds part of the file
        Path staging = Files.createDirectories(store.root().resolve(".0123456789ab.tmp-42"));
        Files.write(staging.resolve("model.onnx"), new byte[] {8, 7});
        // a version folder without its digest and metadata (e.g. copied in by hand, partly)
        Path incomplete = Files.createDirectories(store.root().resolve("fedcba987654"));
        Files.copy(tmp.resolve("base.onnx"), incomplete.resolve("model.onnx"));
        Path runs = Files.createDirectories(store.root().resolve("runs").resolve("20260101-000000-1"));

        assertEquals(List.of(complete), store.list().stream().map(m -> m.version()).toList());
        assertEquals(complete, store.latest().orElseThrow().version());

        // without Kafka only the folders are looked at
        PublicationReconciler.Outcome outcome = new PublicationReconciler(store, null, "models", Duration.ofSeconds(5)).reconcile();

        assertEquals(2, outcome.removed().size(), outcome.removed().toString());
        assertFalse(Files.exists(staging));
        assertFalse(Files.exists(incomplete));
        assertTrue(Files.isDirectory(runs), "run folders are not model folders");
        assertEquals(complete, store.get(complete).version());
        assertEquals(List.of(), outcome.announced());
    }
}
