package org.arcstream.embedder.gallery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.core.topics.SampleKey;

/**
 * The gallery kept in Kafka: enrolling writes samples to the enrollment topic, deleting writes
 * tombstones for every sample of the identity; reads come from the global centroids store that the
 * matcher uses (so they show what matching sees, a moment after a write). Thread-safe.
 */
public final class TopicGallery implements GalleryService {

    private final EnrollmentWriter writer;
    private final Supplier<ReadOnlyKeyValueStore<String, byte[]>> centroids;
    private final Supplier<Optional<ReadOnlyKeyValueStore<String, byte[]>>> localSamples;

    /**
     * @param centroids the global centroids store (may throw {@link InvalidStateStoreException} while it is not ready)
     * @param localSamples this instance's enrollment-samples store when it holds it, to find samples
     *     written a moment ago whose centroid has not reached the global store yet
     */
    public TopicGallery(EnrollmentWriter writer, Supplier<ReadOnlyKeyValueStore<String, byte[]>> centroids,
            Supplier<Optional<ReadOnlyKeyValueStore<String, byte[]>>> localSamples) {
        this.writer = writer;
        this.centroids = centroids;
        this.localSamples = localSamples;
    }

    @Override
    public List<IdentityInfo> identities() {
        Map<String, List<CentroidRecord>> byIdentity = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = store().all()) {
            while (all.hasNext()) {
                CentroidRecord r = decode(all.next());
                if (r != null) {
                    byIdentity.computeIfAbsent(r.identityId(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        return byIdentity.values().stream().map(TopicGallery::info).toList();
    }

    @Override
    public Optional<IdentityInfo> identity(String id) {
        List<CentroidRecord> records = centroidsOf(id);
        return records.isEmpty() ? Optional.empty() : Optional.of(info(records));
    }

    @Override
    public EnrollOutcome enroll(String identityId, String name, List<EnrollImage> images, OptionalInt faceIndex) {
        return writer.enroll(identityId, name, images, faceIndex);
    }

    @Override
    public boolean delete(String identityId) {
        try {
            SampleKey.checkIdentityId(identityId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Set<String> sampleIds = new TreeSet<>();
        centroidsOf(identityId).forEach(r -> sampleIds.addAll(r.sampleIds()));
        String prefix = SampleKey.prefix(identityId);
        localSamples.get().ifPresent(local -> {
            try (KeyValueIterator<String, byte[]> it = local.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(e -> sampleIds.add(e.key.substring(prefix.length())));
            }
        });
        if (sampleIds.isEmpty()) {
            return false;
        }
        writer.delete(identityId, sampleIds);
        return true;
    }

    private List<CentroidRecord> centroidsOf(String identityId) {
        String prefix;
        try {
            prefix = SampleKey.prefix(identityId);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        List<CentroidRecord> records = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store().prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                CentroidRecord r = decode(it.next());
                if (r != null) {
                    records.add(r);
                }
            }
        }
        return records;
    }

    private static IdentityInfo info(List<CentroidRecord> records) {
        Set<String> samples = new LinkedHashSet<>();
        Set<String> models = new TreeSet<>();
        records.forEach(r -> {
            samples.addAll(r.sampleIds());
            models.add(r.modelVersion());
        });
        CentroidRecord first = records.get(0);
        return new IdentityInfo(first.identityId(), first.name(), samples.size(), List.copyOf(models));
    }

    private static CentroidRecord decode(KeyValue<String, byte[]> entry) {
        try {
            return CentroidCodec.decode(entry.value);
        } catch (RecordFormatException e) {
            return null; // the matcher skips it too, with a warning
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> store() {
        try {
            return centroids.get();
        } catch (InvalidStateStoreException e) {
            throw new GalleryUnavailableException("the gallery is not ready yet: " + e.getMessage(), e);
        }
    }

}
