package org.arcstream.trainer.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the model store and the models topic into agreement, so that no version stays half-published.
 * A process stopped between storing an accepted model and the broker's acknowledgement of its event
 * leaves the model stored but unannounced; one stopped while storing leaves a staging folder.
 *
 * <p>The folders a stopped store left behind are removed. Of the accepted models without an event, the
 * newest is announced when it is newer than every announced model: that completes the publication that
 * was cut short. Every other one is marked unpublished, never announced: announcing a model older than
 * one the embedders have already seen would make them promote an older model.
 */
public final class PublicationReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationReconciler.class);

    /** What a reconciliation changed. */
    public record Outcome(List<Path> removed, List<String> announced, List<String> unpublished) {}

    private final FileModelStore store;
    private final KafkaClientConfig kafka;
    private final String modelsTopic;
    private final Duration timeout;
    private final ModelDelivery delivery;

    /** @param kafka null for a store whose models are never announced: only the half-written folders are removed */
    public PublicationReconciler(FileModelStore store, KafkaClientConfig kafka, String modelsTopic, Duration timeout) {
        this(store, kafka, modelsTopic, timeout, ModelDelivery.FROM_STORE);
    }

    /** @param delivery where a model announced now is put first (an object store): as a run would have */
    public PublicationReconciler(FileModelStore store, KafkaClientConfig kafka, String modelsTopic, Duration timeout,
            ModelDelivery delivery) {
        this.store = store;
        this.kafka = kafka;
        this.modelsTopic = modelsTopic;
        this.timeout = timeout;
        this.delivery = delivery;
    }

    /**
     * Run it while no other process writes to the store (before a run): a model being stored at that moment
     * would look half-written.
     *
     * @throws PublishException when a model cannot be delivered or its event cannot be sent (the model stays as it was;
     *     the next reconciliation retries)
     */
    public Outcome reconcile() {
        List<Path> removed = store.removeHalfWritten();
        removed.forEach(dir -> LOG.warn("removed {}: a model folder left half-written by a stopped process", dir));
        if (kafka == null) {
            return new Outcome(removed, List.of(), List.of());
        }
        Map<String, Long> announced = announced();
        long newestAnnounced = announced.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
        String newestAnnouncedVersion = announced.entrySet().stream().filter(e -> e.getValue() == newestAnnounced)
                .map(Map.Entry::getKey).findFirst().orElse(null);
        List<ModelMetadata> missing = store.list().stream()
                .filter(ModelMetadata::announceable)
                .filter(m -> !announced.containsKey(m.version()))
                .toList(); // oldest first
        List<String> sent = new ArrayList<>();
        List<String> withdrawn = new ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
            ModelMetadata m = missing.get(i);
            boolean newest = i == missing.size() - 1;
            if (newest && m.createdMillis() > newestAnnounced) {
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(kafka))) {
                    new ModelPublisher(store, producer, modelsTopic, timeout.toMillis(), delivery).announce(store.get(m.version()));
                }
                LOG.warn("announced model {} on '{}': it was stored but its event was never acknowledged", m.version(), modelsTopic);
                sent.add(m.version());
            } else {
                String reason = "stored but never announced; " + (m.createdMillis() <= newestAnnounced
                        ? "model " + newestAnnouncedVersion + ", announced since, is newer"
                        : "model " + missing.get(missing.size() - 1).version() + " is newer and is announced in its place");
                store.markUnpublished(m.version(), reason);
                LOG.warn("model {} marked unpublished: {}", m.version(), reason);
                withdrawn.add(m.version());
            }
        }
        return new Outcome(removed, sent, withdrawn);
    }

    /** Version to creation time of every readable event on the models topic. */
    private Map<String, Long> announced() {
        Map<String, Long> found = new HashMap<>();
        TopicReads.snapshot(kafka, modelsTopic, timeout, (key, value) -> true).ifPresent(snapshot ->
                snapshot.latest().forEach((version, value) -> {
                    try {
                        found.put(version, ModelEventCodec.decode(value).createdMillis());
                    } catch (RecordFormatException e) {
                        // an event the embedders cannot read does not announce the model: sending it again repairs it
                    }
                }));
        return found;
    }
}
