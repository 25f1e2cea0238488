package org.arcstream.embedder.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global centroids store equal to the centroids topic on every instance. It stores the
 * bytes as they are (restoration copies the topic the same way) and passes each record on to the
 * matcher's cache, which skips what it cannot use. Nothing here may throw: a failing global store stops the whole instance.
 */
final class CentroidStoreWriter implements Processor<String, byte[], Void, Void> {

    private final CentroidIndexCache indexes;
    private final String topic;
    private final SkippedRecords skips;
    private KeyValueStore<String, byte[]> store;

    CentroidStoreWriter(CentroidIndexCache indexes, String topic, SkippedRecords skips) {
        this.indexes = indexes;
        this.topic = topic;
        this.skips = skips;
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
            store.delete(record.key());
            indexes.delete(record.key());
        } else {
            store.put(record.key(), record.value());
            indexes.put(record.key(), record.value());
        }
    }
}
