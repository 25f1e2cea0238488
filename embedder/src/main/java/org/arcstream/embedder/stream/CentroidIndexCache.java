package org.arcstream.embedder.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.UnitVectors;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.RecordFormatException;

/**
 * The matcher's view of the global centroids store: one {@link CentroidIndex} per model version,
 * rebuilt from the store after it changed (the store's writer calls {@link #changed()}). Shared by
 * the stream tasks of one Kafka Streams instance; thread-safe.
 *
 * <p>The store is a copy of a topic anyone can write to, so a record is left out of matching, and
 * counted and logged once as skipped, when it does not decode, sits under another key than its own,
 * holds a centroid that is not a finite unit vector (one NaN would make every score against it NaN),
 * or has another length than the embeddings of its model version. That length is taken from the
 * embedding being matched, which its model version's model made; a record can never set it, so a
 * centroid of a wrong length costs its own identity and nobody else.
 */
final class CentroidIndexCache {

    private static final CentroidIndex EMPTY = CentroidIndex.of(Map.of());

    /** A readable centroid record: its store key, the hash of its bytes (to report it once), what the index needs. */
    private record Entry(String key, int valueHash, Identity identity, List<float[]> centroids, int dimension) {}

    /** The store's usable records by model version, and the indexes built from them so far, by model version and length. */
    private record Snapshot(long generation, Map<String, List<Entry>> byModel, Map<String, CentroidIndex> indexes) {}

    private final String topic;
    private final SkippedRecords skips;
    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of(), new ConcurrentHashMap<>());
    /** Skipped records already counted: store key to the hash of the bytes that were skipped. */
    private final Map<String, Integer> reported = new ConcurrentHashMap<>();

    /** @param topic the centroids topic, named when a record of it is skipped */
    CentroidIndexCache(String topic, SkippedRecords skips) {
        this.topic = topic;
        this.skips = skips;
    }

    /** The store was written to (or restored): the next lookup rebuilds the indexes. */
    void changed() {
        generation.incrementAndGet();
    }

    /**
     * The centroids of one model version only; empty when no identity has centroids for it.
     *
     * @param dimension the length of that model version's embeddings (of the embedding to be matched)
     */
    CentroidIndex index(String modelVersion, int dimension, ReadOnlyKeyValueStore<String, byte[]> store) {
        Snapshot current = snapshot;
        if (current.generation() != generation.get()) {
            current = rebuild(store);
        }
        Snapshot s = current;
        return s.indexes().computeIfAbsent(modelVersion + "\n" + dimension, k -> build(s, modelVersion, dimension));
    }

    private CentroidIndex build(Snapshot s, String modelVersion, int dimension) {
        List<Entry> entries = s.byModel().get(modelVersion);
        if (entries == null) {
            return EMPTY;
        }
        Map<Identity, List<float[]>> rows = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.dimension() == dimension) {
                rows.put(e.identity(), e.centroids());
            } else {
                skip(e.key(), e.valueHash(), "centroid-dimension: " + e.dimension() + " values, but model " + modelVersion
                        + " makes embeddings of " + dimension);
            }
        }
        return CentroidIndex.of(rows);
    }

    private synchronized Snapshot rebuild(ReadOnlyKeyValueStore<String, byte[]> store) {
        long target = generation.get();
        if (snapshot.generation() == target) {
            return snapshot;
        }
        Map<String, List<Entry>> byModel = new HashMap<>();
        Map<String, Integer> present = new HashMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                int hash = Arrays.hashCode(kv.value);
                present.put(kv.key, hash);
                CentroidRecord r;
                try {
                    r = CentroidCodec.decode(kv.value);
                } catch (RecordFormatException e) {
                    skip(kv.key, hash, "unreadable-centroid: " + e.getMessage());
                    continue;
                }
                Optional<String> defect = defect(kv.key, r);
                if (defect.isPresent()) {
                    skip(kv.key, hash, defect.get());
                    continue;
                }
                byModel.computeIfAbsent(r.modelVersion(), m -> new ArrayList<>())
                        .add(new Entry(kv.key, hash, new Identity(r.identityId(), r.name()), r.centroids(), r.centroids().get(0).length));
            }
        }
        // a record that was replaced or deleted is forgotten, so that a bad record written again is reported again
        reported.entrySet().removeIf(e -> !Objects.equals(present.get(e.getKey()), e.getValue()));
        snapshot = new Snapshot(target, Map.copyOf(byModel), new ConcurrentHashMap<>());
        return snapshot;
    }

    private static Optional<String> defect(String key, CentroidRecord r) {
        if (!r.key().toString().equals(key)) {
            return Optional.of("unreadable-centroid: the record of " + r.key() + " is stored under another key");
        }
        for (int i = 0; i < r.centroids().size(); i++) {
            Optional<String> defect = UnitVectors.defect(r.centroids().get(i));
            if (defect.isPresent()) {
                return Optional.of("unusable-centroid: centroid " + i + " " + defect.get());
            }
        }
        return Optional.empty();
    }

    private void skip(String key, int valueHash, String reason) {
        if (!Objects.equals(reported.put(key, valueHash), valueHash)) {
            skips.skip(topic, key, reason);
        }
    }
}
