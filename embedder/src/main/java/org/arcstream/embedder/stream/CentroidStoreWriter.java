package org.arcstream.embedder.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global centroids store equal to the centroids topic on every instance. It stores the
 * bytes as they are (restoration copies the topic the same way) and tells the matcher's cache.
 */
final class CentroidStoreWriter implements Processor<String, byte[], Void, Void> {

    private final CentroidIndexCache indexes;
    private KeyValueStore<String, byte[]> store;

    CentroidStoreWriter(CentroidIndexCache indexes) {
        this.indexes = indexes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(EmbedderTopology.CENTROIDS_STORE);
        indexes.changed();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        indexes.changed();
    }
}
