package org.arcstream.embedder.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.match.UnitVectors;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.kafka.TopicSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds the gallery into a model version through the enrollment topic: every stored sample
 * that lacks an embedding of that version is embedded from its aligned crop and written back with
 * the new embedding added, so that the stream's centroid stage produces that version's centroids.
 * Also retires versions: their embeddings are dropped from the samples (and so their centroids).
 */
final class GalleryReindexer {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReindexer.class);
    private static final int BATCH = 16;
    private static final int MAX_ROUNDS = 5;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Producer<String, byte[]> producer;
    private final String enrollmentTopic;
    private final String centroidsTopic;
    private final int cropSize;

    GalleryReindexer(Supplier<Consumer<String, byte[]>> consumers, Producer<String, byte[]> producer, String enrollmentTopic,
            String centroidsTopic, int cropSize) {
        this.consumers = consumers;
        this.producer = producer;
        this.enrollmentTopic = enrollmentTopic;
        this.centroidsTopic = centroidsTopic;
        this.cropSize = cropSize;
    }

    /**
     * Re-embeds every sample lacking {@code version} and returns once every identity has centroids of
     * that version computed from all its samples. Samples enrolled meanwhile are picked up by a further
     * round (rounds repeat until one finds nothing to do); a sample deleted while it was being
     * re-embedded is deleted again.
     *
     * @return the number of identities that have centroids of the version
     */
    int reindex(String version, FaceEmbedder embedder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, long[]> rewritten = new HashMap<>(); // key -> {offset of the value read, offset of the re-embedded copy}
        try (Consumer<String, byte[]> enrollment = consumers.get(); Consumer<String, byte[]> centroids = consumers.get()) {
            Map<String, CentroidRecord> seen = new HashMap<>();
            List<TopicPartition> centroidPartitions = TopicSnapshot.partitions(centroids, centroidsTopic, READ_TIMEOUT);
            centroids.assign(centroidPartitions);
            centroids.seekToBeginning(centroidPartitions);
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                TopicSnapshot snapshot = TopicSnapshot.read(enrollment, enrollmentTopic, READ_TIMEOUT);
                undoResurrections(snapshot, rewritten);
                Map<String, EnrollmentRecord> samples = decode(snapshot);
                Map<String, EnrollmentRecord> missing = new LinkedHashMap<>();
                Map<String, Set<String>> expected = new TreeMap<>();
                samples.forEach((key, sample) -> {
                    boolean has = sample.embeddings().containsKey(version);
                    if (!has && sample.cropPng().length == 0) {
                        LOG.warn("sample {} has no stored crop and cannot be embedded by model {}", key, version);
                        return;
                    }
                    if (!has) {
                        missing.put(key, sample);
                    }
                    expected.computeIfAbsent(sample.identityId(), k -> new TreeSet<>()).add(SampleKey.parse(key).sampleId());
                });
                write(embedAndAdd(missing, version, embedder)).forEach((key, written) ->
                        rewritten.put(key, new long[] {snapshot.offsets().get(key), written}));
                LOG.info("re-index into {}: round {}, {} samples embedded, {} identities", version, round, missing.size(), expected.size());
                awaitCentroids(centroids, seen, version, expected, deadline);
                if (missing.isEmpty()) {
                    return expected.size();
                }
            }
            throw new IllegalStateException("the gallery kept changing: samples were still being enrolled after " + MAX_ROUNDS + " rounds");
        }
    }

    /**
     * Keeps only the embeddings of {@code keep} in every sample; a sample lacking {@code active} (enrolled
     * while the instances switched) gets it from {@code embedder}. Returns the number of samples rewritten.
     */
    int retire(Set<String> keep, String active, FaceEmbedder embedder) {
        try (Consumer<String, byte[]> enrollment = consumers.get()) {
            Map<String, EnrollmentRecord> samples = decode(TopicSnapshot.read(enrollment, enrollmentTopic, READ_TIMEOUT));
            Map<String, EnrollmentRecord> missing = new LinkedHashMap<>();
            samples.forEach((key, s) -> {
                if (!s.embeddings().containsKey(active) && s.cropPng().length > 0) {
                    missing.put(key, s);
                }
            });
            samples.putAll(embedAndAdd(missing, active, embedder));
            Map<String, EnrollmentRecord> changed = new LinkedHashMap<>();
            samples.forEach((key, s) -> {
                Map<String, float[]> kept = new TreeMap<>(s.embeddings());
                kept.keySet().retainAll(keep);
                if (kept.isEmpty()) {
                    LOG.warn("sample {} has no embedding of a kept model version ({}); left as it is", key, keep);
                } else if (missing.containsKey(key) || !kept.keySet().equals(s.embeddings().keySet())) {
                    changed.put(key, new EnrollmentRecord(s.identityId(), s.name(), s.source(), s.enrolledAtMillis(), s.cropPng(), kept));
                }
            });
            write(changed);
            return changed.size();
        }
    }

    /**
     * The samples the centroid stage uses. Those it dead-letters (unreadable, under another identity's
     * key, an embedding that is not a finite unit vector) are left out: re-embedded, they would be
     * dead-lettered again, and the promotion would wait in vain for centroids that include them.
     */
    private Map<String, EnrollmentRecord> decode(TopicSnapshot snapshot) {
        Map<String, EnrollmentRecord> samples = new LinkedHashMap<>();
        snapshot.latest().forEach((key, value) -> {
            try {
                SampleKey sampleKey = SampleKey.parse(key);
                EnrollmentRecord sample = EnrollmentCodec.decode(value);
                if (!sample.identityId().equals(sampleKey.identityId())) {
                    throw new RecordFormatException("a sample of another identity");
                }
                for (Map.Entry<String, float[]> e : sample.embeddings().entrySet()) {
                    UnitVectors.defect(e.getValue()).ifPresent(d -> {
                        throw new RecordFormatException("embedding of model " + e.getKey() + " " + d);
                    });
                }
                samples.put(key, sample);
            } catch (RecordFormatException e) {
                LOG.warn("enrollment record {} left out of the re-index: {}", Excerpt.quote(key), e.getMessage());
            }
        });
        return samples;
    }

    /** The samples with an embedding of {@code version} added; a sample whose crop cannot be read is left out, with a warning. */
    private Map<String, EnrollmentRecord> embedAndAdd(Map<String, EnrollmentRecord> samples, String version, FaceEmbedder embedder) {
        Map<String, EnrollmentRecord> out = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        List<RgbImage> crops = new ArrayList<>();
        for (Map.Entry<String, EnrollmentRecord> e : samples.entrySet()) {
            try {
                crops.add(CropPng.decode(e.getValue().cropPng(), cropSize));
                keys.add(e.getKey());
            } catch (ImageDecodeException ex) {
                LOG.warn("sample {} cannot be embedded by model {}: {}", e.getKey(), version, ex.getMessage());
            }
        }
        for (int from = 0; from < crops.size(); from += BATCH) {
            int to = Math.min(crops.size(), from + BATCH);
            List<float[]> vectors = embedder.embed(crops.subList(from, to));
            for (int i = from; i < to; i++) {
                EnrollmentRecord s = samples.get(keys.get(i));
                Map<String, float[]> embeddings = new TreeMap<>(s.embeddings());
                embeddings.put(version, vectors.get(i - from));
                out.put(keys.get(i), new EnrollmentRecord(s.identityId(), s.name(), s.source(), s.enrolledAtMillis(), s.cropPng(), embeddings));
            }
        }
        return out;
    }

    /** Writes the samples and waits for the broker; returns each key's offset. */
    private Map<String, Long> write(Map<String, EnrollmentRecord> samples) {
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        samples.forEach((key, s) -> sent.put(key, producer.send(new ProducerRecord<>(enrollmentTopic, key, EnrollmentCodec.encode(s)))));
        producer.flush();
        Map<String, Long> offsets = new HashMap<>();
        try {
            for (Map.Entry<String, Future<RecordMetadata>> e : sent.entrySet()) {
                offsets.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS).offset());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("re-embedded samples could not be written to " + enrollmentTopic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing re-embedded samples", e);
        }
        return offsets;
    }

    /** A sample deleted after it was read and before its re-embedded copy was written came back: delete it again. */
    private void undoResurrections(TopicSnapshot snapshot, Map<String, long[]> rewritten) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        rewritten.forEach((key, offsets) -> {
            boolean deletedMeanwhile = snapshot.tombstones().getOrDefault(key, List.of()).stream()
                    .anyMatch(t -> t > offsets[0] && t < offsets[1]);
            Long current = snapshot.offsets().get(key);
            if (deletedMeanwhile && snapshot.latest().containsKey(key) && current != null && current == offsets[1]) {
                LOG.info("sample {} was deleted while it was re-embedded; deleting it again", key);
                sent.add(producer.send(new ProducerRecord<>(enrollmentTopic, key, null)));
                snapshot.latest().remove(key);
            }
        });
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("a deletion could not be repeated: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void awaitCentroids(Consumer<String, byte[]> consumer, Map<String, CentroidRecord> seen, String version,
            Map<String, Set<String>> expected, long deadline) {
        while (true) {
            List<String> lacking = new ArrayList<>();
            expected.forEach((identity, sampleIds) -> {
                CentroidRecord r = seen.get(new CentroidKey(identity, version).toString());
                if (r == null || !r.sampleIds().containsAll(sampleIds)) {
                    lacking.add(identity);
                }
            });
            if (lacking.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("centroids of model " + version + " did not appear in time for " + lacking.size()
                        + " identities, e.g. " + lacking.get(0) + " (is the embedder stream running?)");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.key() == null) {
                    continue;
                }
                if (r.value() == null) {
                    seen.remove(r.key());
                } else {
                    try {
                        seen.put(r.key(), CentroidCodec.decode(r.value()));
                    } catch (RecordFormatException e) {
                        seen.remove(r.key());
                    }
                }
            }
        }
    }
}
