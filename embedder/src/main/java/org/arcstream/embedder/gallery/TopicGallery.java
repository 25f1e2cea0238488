package org.arcstream.embedder.gallery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.core.topics.SampleKey;

/**
 * The gallery kept in Kafka: enrolling writes samples to the enrollment topic, deleting writes
 * tombstones for every sample of the identity, and then for every recognition of it kept for training; reads come from the global centroids store that the
 * matcher uses. Enroll and delete wait (up to a settle time) until the matcher's store shows their
 * effect, so that a read or a delete right after them sees it. Thread-safe.
 */
public final class TopicGallery implements GalleryService {

    private final EnrollmentWriter writer;
    private final Supplier<ReadOnlyKeyValueStore<String, byte[]>> centroids;
    private final Supplier<Optional<ReadOnlyKeyValueStore<String, byte[]>>> localSamples;
    private final Duration settle;
    private final EnrollmentCrops crops;
    private final RecognitionEraser recognitions;

    /** A gallery that serves no crops ({@link #crop} finds none) and keeps no recognitions. */
    public TopicGallery(EnrollmentWriter writer, Supplier<ReadOnlyKeyValueStore<String, byte[]>> centroids,
            Supplier<Optional<ReadOnlyKeyValueStore<String, byte[]>>> localSamples, Duration settle) {
        this(writer, centroids, localSamples, settle, null, null);
    }

    /**
     * @param centroids the global centroids store (may throw {@link InvalidStateStoreException} while it is not ready)
     * @param localSamples this instance's enrollment-samples store when it holds it, to find samples
     *     written a moment ago whose centroid has not reached the global store yet
     * @param settle how long enroll and delete wait for their effect to reach the centroids store, so
     *     that reads (and a delete) right after them see it; zero returns as soon as Kafka has the records
     * @param crops reads a sample's crop from the enrollment topic; null serves none
     * @param recognitions tombstones a deleted person's confident recognitions; null when there is no such topic
     */
    public TopicGallery(EnrollmentWriter writer, Supplier<ReadOnlyKeyValueStore<String, byte[]>> centroids,
            Supplier<Optional<ReadOnlyKeyValueStore<String, byte[]>>> localSamples, Duration settle, EnrollmentCrops crops,
            RecognitionEraser recognitions) {
        this.writer = writer;
        this.centroids = centroids;
        this.localSamples = localSamples;
        this.settle = settle;
        this.crops = crops;
        this.recognitions = recognitions;
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
        EnrollOutcome outcome = writer.enroll(identityId, name, images, faceIndex, sampleIdsOf(identityId));
        if (!outcome.acceptedSamples().isEmpty()) {
            String key = new CentroidKey(identityId, writer.modelVersion()).toString();
            awaitStore(() -> {
                byte[] value = store().get(key);
                return value != null && CentroidCodec.decode(value).sampleIds().containsAll(outcome.acceptedSamples());
            });
        }
        return outcome;
    }

    @Override
    public boolean delete(String identityId) {
        try {
            SampleKey.checkIdentityId(identityId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Set<String> sampleIds = sampleIdsOf(identityId);
        if (sampleIds.isEmpty()) {
            return false;
        }
        writer.delete(identityId, sampleIds);
        awaitStore(() -> centroidsOf(identityId).isEmpty());
        // only now: once the person is out of matching, the matcher writes no new recognition of them
        if (recognitions != null) {
            recognitions.erase(identityId);
        }
        return true;
    }

    @Override
    public List<SampleInfo> samples(String identityId) {
        Set<String> sampleIds = new TreeSet<>();
        centroidsOf(identityId).forEach(r -> sampleIds.addAll(r.sampleIds()));
        Map<String, StoredSample> stored = new TreeMap<>();
        if (!sampleIds.isEmpty()) {
            String prefix = SampleKey.prefix(identityId);
            localSamples.get().ifPresent(local -> {
                try (KeyValueIterator<String, byte[]> it = local.prefixScan(prefix, new StringSerializer())) {
                    it.forEachRemaining(e -> {
                        try {
                            stored.put(e.key.substring(prefix.length()), StoredSample.decode(e.value));
                        } catch (RecordFormatException ignored) {
                            // cannot be: the enrollment stage stores only what it decoded; listed without its details
                        }
                    });
                }
            });
        }
        return sampleIds.stream().map(id -> {
            StoredSample s = stored.get(id);
            return s == null ? new SampleInfo(id, null, 0, null)
                    : new SampleInfo(id, s.sample().source(), s.sample().enrolledAtMillis(), s.position());
        }).toList();
    }

    /**
     * The sample's aligned crop, read from the enrollment topic at the position this instance's samples
     * store keeps for it. Empty when the sample is not (or no longer) enrolled, when another instance holds
     * the samples, or when its record keeps no crop: a deleted sample has no crop from the moment the
     * enrollment stage has taken its tombstone, which is before {@link #delete} and {@link #deleteSample} return.
     */
    @Override
    public Optional<SampleCrop> crop(String identityId, String sampleId) {
        SampleKey key;
        try {
            key = new SampleKey(identityId, sampleId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (crops == null) {
            return Optional.empty();
        }
        Optional<ReadOnlyKeyValueStore<String, byte[]>> local = localSamples.get();
        byte[] value = local.isEmpty() ? null : local.get().get(key.toString());
        if (value == null) {
            return Optional.empty();
        }
        EnrollmentPosition position;
        try {
            position = StoredSample.decode(value).position();
        } catch (RecordFormatException e) {
            return Optional.empty();
        }
        if (position == null) {
            return Optional.empty();
        }
        return crops.crop(key.toString(), position).map(png -> new SampleCrop(png, position));
    }

    /** The ids of the identity's samples: those matching uses, and those this instance stored a moment ago. */
    private Set<String> sampleIdsOf(String identityId) {
        Set<String> sampleIds = new TreeSet<>();
        centroidsOf(identityId).forEach(r -> sampleIds.addAll(r.sampleIds()));
        String prefix = SampleKey.prefix(identityId);
        localSamples.get().ifPresent(local -> {
            try (KeyValueIterator<String, byte[]> it = local.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(e -> sampleIds.add(e.key.substring(prefix.length())));
            }
        });
        return sampleIds;
    }

    @Override
    public boolean deleteSample(String identityId, String sampleId) {
        boolean known = centroidsOf(identityId).stream().anyMatch(r -> r.sampleIds().contains(sampleId));
        if (!known) {
            return false;
        }
        writer.delete(identityId, List.of(sampleId));
        awaitStore(() -> centroidsOf(identityId).stream().noneMatch(r -> r.sampleIds().contains(sampleId)));
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

    /** Waits up to the settle time for the store to show a write; past it, the write still takes effect, only later. */
    private void awaitStore(BooleanSupplier visible) {
        long deadline = System.nanoTime() + settle.toNanos();
        try {
            while (System.nanoTime() < deadline && !visible.getAsBoolean()) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvalidStateStoreException | RecordFormatException e) {
            // the store is being rebuilt or holds a record this version cannot read: stop waiting
        }
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
