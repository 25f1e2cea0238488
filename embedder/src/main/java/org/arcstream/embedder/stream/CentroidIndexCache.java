package org.arcstream.embedder.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matcher's view of the global centroids store: one {@link CentroidIndex} per model version,
 * rebuilt from the store after it changed (the store's writer calls {@link #changed()}). Shared by
 * the stream tasks of one Kafka Streams instance; thread-safe.
 */
final class CentroidIndexCache {

    private static final Logger LOG = LoggerFactory.getLogger(CentroidIndexCache.class);
    private static final CentroidIndex EMPTY = CentroidIndex.of(Map.of());

    private record Snapshot(long generation, Map<String, CentroidIndex> byModel) {}

    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    /** The store was written to (or restored): the next lookup rebuilds the indexes. */
    void changed() {
        generation.incrementAndGet();
    }

    /** The centroids of one model version only; empty when no identity has centroids for it. */
    CentroidIndex index(String modelVersion, ReadOnlyKeyValueStore<String, byte[]> store) {
        Snapshot current = snapshot;
        if (current.generation() != generation.get()) {
            current = rebuild(store);
        }
        return current.byModel().getOrDefault(modelVersion, EMPTY);
    }

    private synchronized Snapshot rebuild(ReadOnlyKeyValueStore<String, byte[]> store) {
        long target = generation.get();
        if (snapshot.generation() == target) {
            return snapshot;
        }
        Map<String, Map<Identity, List<float[]>>> centroids = new HashMap<>();
        Map<String, Integer> dimensions = new HashMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                CentroidRecord r;
                try {
                    r = CentroidCodec.decode(entry.value);
                } catch (RecordFormatException e) {
                    LOG.warn("centroid record {} skipped: {}", entry.key, e.getMessage());
                    continue;
                }
                int dimension = r.centroids().get(0).length;
                if (dimensions.computeIfAbsent(r.modelVersion(), m -> dimension) != dimension) {
                    LOG.warn("centroid record {} skipped: {} values where model version {} has {}", entry.key, dimension,
                            r.modelVersion(), dimensions.get(r.modelVersion()));
                    continue;
                }
                centroids.computeIfAbsent(r.modelVersion(), m -> new LinkedHashMap<>())
                        .put(new Identity(r.identityId(), r.name()), new ArrayList<>(r.centroids()));
            }
        }
        Map<String, CentroidIndex> byModel = new HashMap<>();
        centroids.forEach((model, identities) -> byModel.put(model, CentroidIndex.of(identities)));
        snapshot = new Snapshot(target, Map.copyOf(byModel));
        return snapshot;
    }
}
