package org.arcstream.embedder.stream;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.core.topics.SampleKey;

/**
 * Keeps the global centroids store equal to the centroids topic on every instance. It stores the
 * bytes as they are (restoration copies the topic the same way) and passes each record on to the
 * matcher's cache, which skips what it cannot use. When a tombstone takes an identity's last centroid, the
 * listener hears of it first (a deleted person's remembered matches go with the person). Nothing here may
 * throw: a failing global store stops the whole instance.
 */
final class CentroidStoreWriter implements Processor<String, byte[], Void, Void> {

    private final CentroidIndexCache indexes;
    private final String topic;
    private final SkippedRecords skips;
    private final PipelineListener listener;
    private KeyValueStore<String, byte[]> store;

    CentroidStoreWriter(CentroidIndexCache indexes, String topic, SkippedRecords skips, PipelineListener listener) {
        this.indexes = indexes;
        this.topic = topic;
        this.skips = skips;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(EmbedderTopology.CENTROIDS_STORE);
        indexes.changed();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            skips.skip(topic, null, "unreadable-centroid: a record without a key");
            return;
        }
        if (record.value() == null) {
            String removed = lastCentroidOf(record.key());
            if (removed != null) {
                listener.onIdentityRemoved(removed);
            }
            store.delete(record.key());
            indexes.delete(record.key());
        } else {
            store.put(record.key(), record.value());
            indexes.put(record.key(), record.value());
        }
    }

    /** The identity whose only stored centroid is under {@code key} (other model versions' included), else null. */
    private String lastCentroidOf(String key) {
        if (store.get(key) == null) {
            return null;
        }
        String identity;
        try {
            identity = CentroidKey.parse(key).identityId();
        } catch (RecordFormatException e) {
            return null; // never usable, so never in the gallery
        }
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(SampleKey.prefix(identity), new StringSerializer())) {
            while (it.hasNext()) {
                if (!it.next().key.equals(key)) {
                    return null;
                }
            }
        }
        return identity;
    }
}
