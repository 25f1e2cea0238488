package org.arcstream.embedder.stream;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.core.match.GalleryIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.UnitVectors;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.RecordFormatException;

/**
 * The matcher's view of the global centroids store: one live {@link GalleryIndex} per model version
 * (and embedding length), read from the store once when the store is restored, then updated one
 * record at a time as the store's writer passes each record on ({@link #put}, {@link #delete}): an
 * enrollment or deletion never rebuilds a gallery. Shared by the stream tasks of one Kafka Streams
 * instance; thread-safe.
 *
 * <p>The store is a copy of a topic anyone can write to, so a record is left out of matching, and
 * counted and logged once as skipped, when it does not decode, sits under another key than its own,
 * holds a centroid that is not a finite unit vector (one NaN would make every score against it NaN),
 * or has another length than the embeddings of its model version. That length is taken from the
 * embedding being matched, which its model version's model made; a record can never set it, so a
 * centroid of a wrong length costs its own identity and nobody else.
 */
final class CentroidIndexCache {

    /** A readable centroid record: its store key, the hash of its bytes (to report it once), what the index needs. */
    private record Entry(String key, int valueHash, String modelVersion, Identity identity, List<float[]> centroids, int dimension) {}

    private final String topic;
    private final SkippedRecords skips;
    private final int exactScanLimit;
    /** Set when the store was restored or re-initialised: the next lookup reads it whole. */
    private volatile boolean reloadNeeded = true;
    /** The store's usable records by store key; guarded by this. */
    private final Map<String, Entry> entries = new HashMap<>();
    /** The galleries built so far, by model version and embedding length; created and updated under this. */
    private final Map<String, GalleryIndex> galleries = new ConcurrentHashMap<>();
    /** Skipped records already counted: store key to the hash of the bytes that were skipped. */
    private final Map<String, Integer> reported = new ConcurrentHashMap<>();

    /**
     * @param topic the centroids topic, named when a record of it is skipped
     * @param exactScanLimit galleries with fewer identities are matched by an exact scan, larger ones through a scan of binary codes
     */
    CentroidIndexCache(String topic, SkippedRecords skips, int exactScanLimit) {
        this.topic = topic;
        this.skips = skips;
        this.exactScanLimit = exactScanLimit;
    }

    /** The store was restored or re-initialised: the next lookup reads it whole. */
    void changed() {
        reloadNeeded = true;
    }

    /** The store's writer stored this record: the galleries of its model version take it at once. */
    synchronized void put(String key, byte[] value) {
        if (reloadNeeded) {
            return; // the reload reads the store, which already holds it
        }
        // a record replaced by other bytes is forgotten, so that a bad record written again is reported again
        reported.computeIfPresent(key, (k, hash) -> hash == Arrays.hashCode(value) ? hash : null);
        Entry previous = entries.remove(key);
        Optional<Entry> entry = usable(key, value);
        if (previous != null) {
            forEachGallery(previous.modelVersion(), g -> g.remove(previous.identity().id()));
        }
        if (entry.isEmpty()) {
            return;
        }
        Entry e = entry.get();
        entries.put(key, e);
        galleries.forEach((galleryKey, gallery) -> {
            if (galleryKey.equals(galleryKey(e.modelVersion(), gallery.dimension()))) {
                add(gallery, e);
            }
        });
    }

    /** The store's writer deleted this record (a tombstone). */
    synchronized void delete(String key) {
        reported.remove(key);
        if (reloadNeeded) {
            return;
        }
        Entry previous = entries.remove(key);
        if (previous != null) {
            forEachGallery(previous.modelVersion(), g -> g.remove(previous.identity().id()));
        }
    }

    /**
     * The centroids of one model version only; empty when no identity has centroids for it.
     *
     * @param dimension the length of that model version's embeddings (of the embedding to be matched)
     */
    GalleryIndex index(String modelVersion, int dimension, ReadOnlyKeyValueStore<String, byte[]> store) {
        if (!reloadNeeded) {
            GalleryIndex gallery = galleries.get(galleryKey(modelVersion, dimension));
            if (gallery != null) {
                return gallery;
            }
        }
        synchronized (this) {
            if (reloadNeeded) {
                reload(store);
            }
            return galleries.computeIfAbsent(galleryKey(modelVersion, dimension), k -> build(modelVersion, dimension));
        }
    }

    private static String galleryKey(String modelVersion, int dimension) {
        return modelVersion + "\n" + dimension;
    }

    private void forEachGallery(String modelVersion, Consumer<GalleryIndex> action) {
        galleries.forEach((galleryKey, gallery) -> {
            if (galleryKey.equals(galleryKey(modelVersion, gallery.dimension()))) {
                action.accept(gallery);
            }
        });
    }

    private GalleryIndex build(String modelVersion, int dimension) {
        GalleryIndex gallery = new GalleryIndex(dimension, exactScanLimit);
        Map<Identity, List<float[]>> rows = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (!e.modelVersion().equals(modelVersion)) {
                continue;
            }
            if (e.dimension() == dimension) {
                rows.put(e.identity(), e.centroids());
            } else {
                skipDimension(e, dimension);
            }
        }
        gallery.putAll(rows);
        return gallery;
    }

    private void add(GalleryIndex gallery, Entry e) {
        if (e.dimension() == gallery.dimension()) {
            gallery.put(e.identity(), e.centroids());
        } else {
            skipDimension(e, gallery.dimension());
        }
    }

    private void skipDimension(Entry e, int dimension) {
        skip(e.key(), e.valueHash(), "centroid-dimension: " + e.dimension() + " values, but model " + e.modelVersion()
                + " makes embeddings of " + dimension);
    }

    private void reload(ReadOnlyKeyValueStore<String, byte[]> store) {
        entries.clear();
        galleries.clear();
        Map<String, Integer> present = new HashMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                present.put(kv.key, Arrays.hashCode(kv.value));
                usable(kv.key, kv.value).ifPresent(e -> entries.put(kv.key, e));
            }
        }
        // a record that was replaced or deleted is forgotten, so that a bad record written again is reported again
        reported.entrySet().removeIf(e -> !Objects.equals(present.get(e.getKey()), e.getValue()));
        reloadNeeded = false;
    }

    /** The record as the index takes it, or empty (and reported once) when it cannot be used. */
    private Optional<Entry> usable(String key, byte[] value) {
        int hash = Arrays.hashCode(value);
        CentroidRecord r;
        try {
            r = CentroidCodec.decode(value);
        } catch (RecordFormatException e) {
            skip(key, hash, "unreadable-centroid: " + e.getMessage());
            return Optional.empty();
        }
        Optional<String> defect = defect(key, r);
        if (defect.isPresent()) {
            skip(key, hash, defect.get());
            return Optional.empty();
        }
        return Optional.of(new Entry(key, hash, r.modelVersion(), new Identity(r.identityId(), r.name()), r.centroids(),
                r.centroids().get(0).length));
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
