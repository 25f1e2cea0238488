package org.arcstream.embedder.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.function.UnaryOperator;
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
import org.arcstream.embedder.gallery.SampleRewrites;
import org.arcstream.kafka.TopicScan;
import org.arcstream.kafka.TopicSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds the gallery into a model version through the enrollment topic: every stored sample
 * that lacks an embedding of that version is embedded from its aligned crop and written back with
 * the new embedding added, so that the stream's centroid stage produces that version's centroids.
 * Also retires versions: their embeddings are dropped from the samples (and so their centroids).
 *
 * <p>Every sample written back is marked as a rewrite ({@link SampleRewrites}): one whose person was
 * deleted after it was read is refused by the enrollment stage, so a promotion never brings a deleted
 * person back, and the wait for centroids forgets samples deleted meanwhile.
 */
final class GalleryReindexer {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryReindexer.class);
    private static final int BATCH = 16;
    /** Rewritten samples sent before waiting for the broker's acknowledgements (the producer's buffer holds them). */
    private static final int WRITE_BATCH = 256;
    private static final int PROGRESS_EVERY = 1000;
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
     * <p>The topic is read twice per round, never held: first what each sample is (identity, versions,
     * whether it has a crop), then the crops of the samples to embed, {@value #BATCH} at a time, each batch
     * written back before the next is read. A promotion cut short (a restart) so leaves its work on the
     * topic, and the next one embeds only what is still missing.
     */
    Outcome reindex(String version, FaceEmbedder embedder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, long[]> rewritten = new HashMap<>(); // key -> {offset of the value read, offset of the re-embedded copy}
        int embedded = 0;
        try (Consumer<String, byte[]> enrollment = consumers.get(); Consumer<String, byte[]> centroids = consumers.get()) {
            Map<String, CentroidRecord> seen = new HashMap<>();
            List<TopicPartition> centroidPartitions = TopicSnapshot.partitions(centroids, centroidsTopic, READ_TIMEOUT);
            centroids.assign(centroidPartitions);
            centroids.seekToBeginning(centroidPartitions);
            Set<String> unusable = new HashSet<>();
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                Scan scan = scan(enrollment);
                undoResurrections(scan, rewritten);
                Map<String, Long> missing = new LinkedHashMap<>();
                scan.samples().forEach((key, sample) -> {
                    if (!sample.versions().contains(version) && !unusable.contains(key)) {
                        if (sample.hasCrop()) {
                            missing.put(key, sample.offset());
                        } else {
                            LOG.warn("sample {} has no stored crop and cannot be embedded by model {}", key, version);
                            unusable.add(key);
                        }
                    }
                });
                Rewrite rewrite = rewrite(enrollment, missing, version, embedder, s -> s, "re-index into " + version);
                rewrite.written().forEach((key, written) -> rewritten.put(key, new long[] {missing.get(key), written}));
                unusable.addAll(rewrite.unusable());
                embedded += rewrite.written().size();
                Map<String, Set<String>> expected = new TreeMap<>();
                scan.samples().forEach((key, sample) -> {
                    if (!unusable.contains(key)) {
                        expected.computeIfAbsent(sample.identityId(), k -> new TreeSet<>()).add(sample.sampleId());
                    }
                });
                LOG.info("re-index into {}: round {}, {} samples embedded, {} identities", version, round, rewrite.written().size(),
                        expected.size());
                awaitCentroids(centroids, seen, version, expected, deadline, () -> liveKeys(enrollment));
                if (rewrite.written().isEmpty()) {
                    return new Outcome(expected.size(), embedded);
                }
            }
            throw new IllegalStateException("the gallery kept changing: samples were still being enrolled after " + MAX_ROUNDS + " rounds");
        }
    }

    /**
     * What a re-index did.
     *
     * @param identities the identities that have centroids of the version
     * @param embedded the samples this call embedded (fewer than the gallery when an earlier, interrupted re-index did part of it)
     */
    record Outcome(int identities, int embedded) {}

    /**
     * Keeps only the embeddings of {@code keep} in every sample; a sample lacking {@code active} (enrolled
     * while the instances switched) gets it from {@code embedder}. Returns the number of samples rewritten.
     */
    int retire(Set<String> keep, String active, FaceEmbedder embedder) {
        try (Consumer<String, byte[]> enrollment = consumers.get()) {
            Map<String, Long> toEmbed = new LinkedHashMap<>();
            Map<String, Long> toTrim = new LinkedHashMap<>();
            scan(enrollment).samples().forEach((key, s) -> {
                boolean embed = !s.versions().contains(active) && s.hasCrop();
                Set<String> kept = new TreeSet<>(s.versions());
                kept.retainAll(keep);
                if (kept.isEmpty() && !embed) {
                    LOG.warn("sample {} has no embedding of a kept model version ({}); left as it is", key, keep);
                } else if (embed) {
                    toEmbed.put(key, s.offset());
                } else if (!kept.equals(s.versions())) {
                    toTrim.put(key, s.offset());
                }
            });
            UnaryOperator<EnrollmentRecord> trim = s -> {
                Map<String, float[]> kept = new TreeMap<>(s.embeddings());
                kept.keySet().retainAll(keep);
                return new EnrollmentRecord(s.identityId(), s.name(), s.source(), s.enrolledAtMillis(), s.cropPng(), kept);
            };
            int rewritten = rewrite(enrollment, toEmbed, active, embedder, trim, "embedding into " + active).written().size();
            return rewritten + rewrite(enrollment, toTrim, null, null, trim, "retiring versions").written().size();
        }
    }

    /** What one sample is, without its crop and embeddings: what a round needs to know of the whole gallery. */
    private record Sample(long offset, String identityId, String sampleId, boolean hasCrop, Set<String> versions) {}

    /**
     * The enrollment topic as it stands: the samples the centroid stage uses, the offset of every key's latest
     * value, and the offsets at which keys were deleted. The samples the centroid stage dead-letters
     * (unreadable, under another identity's key, an embedding that is not a finite unit vector) are left
     * out: re-embedded, they would be dead-lettered again, and the promotion would wait in vain for
     * centroids that include them.
     */
    private record Scan(Map<String, Sample> samples, Map<String, Long> live, Map<String, List<Long>> tombstones) {}

    private Scan scan(Consumer<String, byte[]> consumer) {
        Map<String, Sample> samples = new LinkedHashMap<>();
        Map<String, Long> live = new HashMap<>();
        Map<String, List<Long>> tombstones = new HashMap<>();
        TopicScan.read(consumer, enrollmentTopic, READ_TIMEOUT, r -> {
            if (r.key() == null) {
                return;
            }
            String key = r.key();
            samples.remove(key);
            if (r.value() == null) {
                live.remove(key);
                tombstones.computeIfAbsent(key, k -> new ArrayList<>()).add(r.offset());
                return;
            }
            live.put(key, r.offset());
            try {
                SampleKey sampleKey = SampleKey.parse(key);
                EnrollmentRecord sample = EnrollmentCodec.decode(r.value());
                if (!sample.identityId().equals(sampleKey.identityId())) {
                    throw new RecordFormatException("a sample of another identity");
                }
                for (Map.Entry<String, float[]> e : sample.embeddings().entrySet()) {
                    UnitVectors.defect(e.getValue()).ifPresent(d -> {
                        throw new RecordFormatException("embedding of model " + e.getKey() + " " + d);
                    });
                }
                samples.put(key, new Sample(r.offset(), sample.identityId(), sampleKey.sampleId(), sample.cropPng().length > 0,
                        Set.copyOf(sample.embeddings().keySet())));
            } catch (RecordFormatException e) {
                LOG.warn("enrollment record {} left out of the re-index: {}", Excerpt.quote(key), e.getMessage());
            }
        });
        return new Scan(samples, live, tombstones);
    }

    /** The keys the enrollment topic holds a value for, read as a stream: only the keys are kept. */
    private Set<String> liveKeys(Consumer<String, byte[]> consumer) {
        Set<String> live = new HashSet<>();
        TopicScan.read(consumer, enrollmentTopic, READ_TIMEOUT, r -> {
            if (r.key() != null && r.value() == null) {
                live.remove(r.key());
            } else if (r.key() != null) {
                live.add(r.key());
            }
        });
        return live;
    }

    /**
     * Rewrites the samples at the given offsets as they are read: embedded into {@code version} when one is given
     * ({@value #BATCH} crops held at a time), then passed through {@code finish}, then written back.
     *
     * @return the offset of each sample's new value, and the samples whose crop could not be read (left as they are)
     */
    private Rewrite rewrite(Consumer<String, byte[]> consumer, Map<String, Long> targets, String version, FaceEmbedder embedder,
            UnaryOperator<EnrollmentRecord> finish, String what) {
        Rewrite out = new Rewrite(new HashMap<>(), new HashSet<>());
        if (targets.isEmpty()) {
            return out;
        }
        Writes writes = new Writes(out.written());
        List<String> keys = new ArrayList<>(BATCH);
        List<EnrollmentRecord> records = new ArrayList<>(BATCH);
        List<RgbImage> crops = new ArrayList<>(BATCH);
        Runnable embedBatch = () -> {
            List<float[]> vectors = embedder.embed(crops);
            for (int i = 0; i < keys.size(); i++) {
                EnrollmentRecord s = records.get(i);
                Map<String, float[]> embeddings = new TreeMap<>(s.embeddings());
                embeddings.put(version, vectors.get(i));
                writes.send(keys.get(i), finish.apply(
                        new EnrollmentRecord(s.identityId(), s.name(), s.source(), s.enrolledAtMillis(), s.cropPng(), embeddings)));
            }
            keys.clear();
            records.clear();
            crops.clear();
            int done = out.written().size() + writes.pending();
            if (done / PROGRESS_EVERY != (done - BATCH) / PROGRESS_EVERY) {
                LOG.info("{}: {} of {} samples", what, done, targets.size());
            }
        };
        TopicScan.read(consumer, enrollmentTopic, READ_TIMEOUT, r -> {
            Long target = r.key() == null ? null : targets.get(r.key());
            if (target == null || target != r.offset()) {
                return;
            }
            EnrollmentRecord sample = EnrollmentCodec.decode(r.value()); // read once already: it decodes
            if (version == null) {
                writes.send(r.key(), finish.apply(sample));
                return;
            }
            try {
                crops.add(CropPng.decode(sample.cropPng(), cropSize));
                keys.add(r.key());
                records.add(sample);
            } catch (ImageDecodeException e) {
                LOG.warn("sample {} cannot be embedded by model {}: {}", r.key(), version, e.getMessage());
                out.unusable().add(r.key());
                return;
            }
            if (keys.size() == BATCH) {
                embedBatch.run();
            }
        });
        if (!keys.isEmpty()) {
            embedBatch.run();
        }
        writes.finish();
        LOG.info("{}: {} of {} samples rewritten", what, out.written().size(), targets.size());
        return out;
    }

    private record Rewrite(Map<String, Long> written, Set<String> unusable) {}

    /** Sends rewritten samples, collecting the broker's acknowledgements every {@value #WRITE_BATCH} records. */
    private final class Writes {
        private final Map<String, Long> offsets;
        private final Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();

        Writes(Map<String, Long> offsets) {
            this.offsets = offsets;
        }

        void send(String key, EnrollmentRecord sample) {
            sent.put(key, producer.send(
                    new ProducerRecord<>(enrollmentTopic, null, key, EnrollmentCodec.encode(sample), SampleRewrites.headers())));
            if (sent.size() >= WRITE_BATCH) {
                finish();
            }
        }

        int pending() {
            return sent.size();
        }

        void finish() {
            producer.flush();
            offsets.putAll(awaitAll(sent));
            sent.clear();
        }
    }

    /** Waits for the broker to take every record sent; returns each key's offset. */
    private static Map<String, Long> awaitAll(Map<String, Future<RecordMetadata>> sent) {
        Map<String, Long> offsets = new HashMap<>();
        try {
            for (Map.Entry<String, Future<RecordMetadata>> e : sent.entrySet()) {
                offsets.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS).offset());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("re-embedded samples could not be written: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing re-embedded samples", e);
        }
        return offsets;
    }

    /** A sample deleted after it was read and before its re-embedded copy was written came back: delete it again. */
    private void undoResurrections(Scan scan, Map<String, long[]> rewritten) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        rewritten.forEach((key, offsets) -> {
            boolean deletedMeanwhile = scan.tombstones().getOrDefault(key, List.of()).stream()
                    .anyMatch(t -> t > offsets[0] && t < offsets[1]);
            Long current = scan.live().get(key);
            if (deletedMeanwhile && current != null && current == offsets[1]) {
                LOG.info("sample {} was deleted while it was re-embedded; deleting it again", key);
                sent.add(producer.send(new ProducerRecord<>(enrollmentTopic, key, null)));
                scan.live().remove(key);
                scan.samples().remove(key);
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

    /**
     * Waits until every identity of {@code expected} has centroids of {@code version} listing its samples.
     * A deletion meanwhile takes samples (or a whole identity) out of what can appear: while some are
     * lacking, the keys the enrollment topic still holds are read again and what it no longer holds is not
     * waited for. A large gallery takes a while to read, so the reads are spaced by at least four times the
     * last one's length (and at least a second): they never take more than a fifth of the wait.
     */
    private void awaitCentroids(Consumer<String, byte[]> consumer, Map<String, CentroidRecord> seen, String version,
            Map<String, Set<String>> expected, long deadline, Supplier<Set<String>> liveKeys) {
        long nextCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            if (System.nanoTime() > nextCheck) {
                long started = System.nanoTime();
                Set<String> held = liveKeys.get();
                expected.forEach((identity, sampleIds) -> sampleIds.removeIf(id -> !held.contains(new SampleKey(identity, id).toString())));
                expected.values().removeIf(Set::isEmpty);
                long took = System.nanoTime() - started;
                nextCheck = System.nanoTime() + Math.max(TimeUnit.SECONDS.toNanos(1), 4 * took);
            }
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
