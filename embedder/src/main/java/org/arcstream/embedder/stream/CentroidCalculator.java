package org.arcstream.embedder.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.UnitVectors;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.embedder.gallery.EnrollmentPosition;
import org.arcstream.embedder.gallery.SampleRewrites;
import org.arcstream.embedder.gallery.StoredSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment samples to identity centroids: keeps each identity's samples (embeddings only, no crop, and
 * where the sample's record is in the enrollment topic: {@link StoredSample}) in the enrollment-samples store and, whenever a sample of an identity is added, replaced or
 * deleted (tombstone), recomputes that identity's centroid(s) for every model version it touches and
 * writes them to the centroids topic, or a tombstone when no sample of a model version is left.
 * Needs all samples of an identity in one task, which the single-partition enrollment topic gives.
 *
 * <p>A sample that cannot take part in a centroid is dead-lettered before anything changes: one that
 * does not decode or sits under another identity's key, one with an embedding that is not a finite
 * unit vector (a NaN would make the identity's centroid NaN, so the identity could never be matched
 * again), one whose embedding length differs from the identity's other samples, and one that would
 * make a centroid record the centroids topic cannot take.
 *
 * <p>Deletion: a rewrite of a sample ({@link SampleRewrites}, written by a promotion's re-index) that
 * arrives after the sample's tombstone is not taken back in: it is answered with another tombstone on
 * the enrollment topic, so the person neither returns to matching nor keeps a crop in the topic. And
 * Kafka compacts only closed segments, which it closes only when a record arrives after
 * {@code segment.ms}: so that a deletion's tombstones and the crops before them become compactable
 * even when nothing else is enrolled, this stage writes a {@link #SEGMENT_ROLL_KEY} tombstone to the enrollment topic
 * and to every partition of the centroids topic every
 * quarter of the enrollment topic's {@code segment.ms} until one segment time has passed since the
 * last other record; and to every partition of the recognitions topic, where a deletion's tombstones of the
 * person's recognitions follow, a quarter segment longer.
 */
final class CentroidCalculator extends ContextualProcessor<String, byte[], String, byte[]> {

    static final String STAGE = "enrollment";
    /**
     * Largest centroid record written: the centroids topic is created with the broker's default
     * {@code max.message.bytes} (about 1 MB). One 512-float centroid of a few samples takes 2.2 KB.
     */
    static final long MAX_CENTROID_RECORD_BYTES = 1_000_000;

    /**
     * Key of the tombstones that close the segments of the enrollment and centroids topics (and, through the
     * samples store, of its changelog). Without a {@code /} it can be no sample's or centroid's key; readers
     * take it as a tombstone of nothing.
     */
    static final String SEGMENT_ROLL_KEY = "segment-roll";

    private static final Logger LOG = LoggerFactory.getLogger(CentroidCalculator.class);

    private final int subCentroids;
    private final DeadLetters deadLetters;
    private final Duration segment;
    private KeyValueStore<String, byte[]> samples;
    private long lastRecordMillis;

    /** @param segment the enrollment topic's {@code segment.ms}; zero writes no segment-roll tombstones */
    CentroidCalculator(int subCentroids, DeadLetters deadLetters, Duration segment) {
        this.subCentroids = subCentroids;
        this.deadLetters = deadLetters;
        this.segment = segment;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        samples = context.getStateStore(EmbedderTopology.ENROLLMENT_SAMPLES_STORE);
        // after a restart, whether a deletion still waits for its segment to close is unknown: assume it does
        lastRecordMillis = context.currentSystemTimeMs();
        if (!segment.isZero()) {
            context.schedule(Duration.ofMillis(Math.max(1, segment.toMillis() / 4)), PunctuationType.WALL_CLOCK_TIME, this::rollSegment);
        }
    }

    /** Appends a tombstone of nothing while the active segment may still hold records written before the last change. */
    private void rollSegment(long now) {
        long since = now - lastRecordMillis;
        if (since <= segment.toMillis() + segment.toMillis() / 4) {
            context().forward(new Record<String, byte[]>(SEGMENT_ROLL_KEY, null, now), EmbedderTopology.ENROLLMENT_SINK);
            context().forward(new Record<String, byte[]>(SEGMENT_ROLL_KEY, null, now), EmbedderTopology.CENTROIDS_ROLL_SINK);
            samples.delete(SEGMENT_ROLL_KEY);
        }
        // a deletion tombstones the person's recognitions after their samples, once matching has let them go (seconds
        // later): a quarter segment more makes sure a roll comes one segment time after those tombstones too
        if (since <= segment.toMillis() + segment.toMillis() / 2) {
            context().forward(new Record<String, byte[]>(SEGMENT_ROLL_KEY, null, now), EmbedderTopology.RECOGNITIONS_ROLL_SINK);
        }
        context().commit();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // the stages ask for their commits (Kafka Streams' own timer is only a backstop): an enrollment or a deletion
        // is committed, and so visible to matching, right after the loop that processed it
        context().commit();
        if (SEGMENT_ROLL_KEY.equals(record.key())) {
            return;
        }
        lastRecordMillis = context().currentSystemTimeMs();
        SampleKey key;
        EnrollmentRecord sample = null;
        try {
            key = SampleKey.parse(record.key());
            if (record.value() != null) {
                sample = EnrollmentCodec.decode(record.value());
                if (!sample.identityId().equals(key.identityId())) {
                    throw new RecordFormatException("sample of identity " + Excerpt.quote(sample.identityId()) + " under key "
                            + Excerpt.quote(record.key()));
                }
            }
        } catch (RecordFormatException e) {
            deadLetter(record, "unreadable-enrollment: " + e.getMessage());
            return;
        }
        String prefix = SampleKey.prefix(key.identityId());
        Map<String, EnrollmentRecord> others = new TreeMap<>();
        EnrollmentRecord previous = null;
        try (KeyValueIterator<String, byte[]> it = samples.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                EnrollmentRecord stored = StoredSample.decode(entry.value).sample();
                if (entry.key.equals(key.toString())) {
                    previous = stored;
                } else {
                    others.put(entry.key.substring(prefix.length()), stored);
                }
            }
        }
        if (sample != null) {
            Optional<String> defect = unusableEmbedding(sample);
            if (defect.isEmpty()) {
                defect = dimensionConflict(sample, others.values());
            }
            if (defect.isPresent()) {
                deadLetter(record, "unreadable-enrollment: " + defect.get());
                return;
            }
        }
        if (sample == null && previous == null) {
            return; // deleting a sample that is not there changes nothing
        }
        if (sample != null && previous == null && SampleRewrites.isRewrite(record.headers())) {
            LOG.info("sample {} was deleted while a re-index rewrote it; deleting the rewrite", Excerpt.quote(record.key()));
            context().forward(new Record<String, byte[]>(record.key(), null, record.timestamp()), EmbedderTopology.ENROLLMENT_SINK);
            return;
        }
        TreeSet<String> touched = new TreeSet<>();
        if (previous != null) {
            touched.addAll(previous.embeddings().keySet());
        }
        if (sample != null) {
            others.put(key.sampleId(), sample);
            touched.addAll(sample.embeddings().keySet());
        }
        // the latest enrollment names the identity; after a deletion, any remaining sample does
        String name = sample != null ? sample.name() : others.values().stream().map(EnrollmentRecord::name).findFirst().orElse("");
        // every centroid record is made before anything is stored or sent, so a sample that cannot give one changes nothing
        List<Record<String, byte[]>> out = new ArrayList<>();
        for (String model : touched) {
            try {
                out.add(centroids(record, key.identityId(), name, model, others));
            } catch (IllegalArgumentException e) {
                if (sample != null) {
                    deadLetter(record, "unreadable-enrollment: no centroid of model " + model + " can be made with this sample: " + e.getMessage());
                    return;
                }
                // a deletion always goes through; samples left that give no centroid leave the identity without one
                out.add(new Record<>(new CentroidKey(key.identityId(), model).toString(), null, record.timestamp()));
            }
        }
        if (sample == null) {
            samples.delete(key.toString());
        } else {
            samples.put(key.toString(), stored(sample));
        }
        out.forEach(r -> context().forward(r, EmbedderTopology.CENTROIDS_SINK));
    }

    /** The sample without its crop, with where its record is, so that the console can read the crop back from the topic. */
    private byte[] stored(EnrollmentRecord sample) {
        return context().recordMetadata()
                .map(m -> StoredSample.encode(sample.withoutCrop(), new EnrollmentPosition(m.partition(), m.offset())))
                .orElseGet(() -> EnrollmentCodec.encode(sample.withoutCrop()));
    }

    /**
     * The identity's centroid record for one model version, or a tombstone when none of its samples has
     * an embedding of that version; {@link IllegalArgumentException} when the samples give no centroid
     * (embeddings that cancel out) or a record too large to write.
     */
    private Record<String, byte[]> centroids(Record<String, byte[]> cause, String identityId, String name, String model,
            Map<String, EnrollmentRecord> remaining) {
        List<String> sampleIds = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        remaining.forEach((sampleId, s) -> {
            float[] v = s.embeddings().get(model);
            if (v != null) {
                sampleIds.add(sampleId);
                vectors.add(v);
            }
        });
        String key = new CentroidKey(identityId, model).toString();
        if (vectors.isEmpty()) {
            return new Record<>(key, null, cause.timestamp());
        }
        Map<Identity, List<float[]>> one = new LinkedHashMap<>();
        one.put(new Identity(identityId, name), vectors);
        List<float[]> centroids = CentroidIndex.build(one, subCentroids).centroids(identityId);
        for (float[] c : centroids) {
            UnitVectors.defect(c).ifPresent(d -> {
                throw new IllegalArgumentException("a centroid " + d);
            });
        }
        byte[] value = CentroidCodec.encode(new CentroidRecord(identityId, name, model, sampleIds, centroids));
        long size = RecordSize.upperBound(key, value, new RecordHeaders());
        if (size > MAX_CENTROID_RECORD_BYTES) {
            throw new IllegalArgumentException("the centroid record would take " + size + " bytes, more than " + MAX_CENTROID_RECORD_BYTES);
        }
        return new Record<>(key, value, cause.timestamp());
    }

    /** The first embedding of the sample that is not a finite unit vector. */
    private static Optional<String> unusableEmbedding(EnrollmentRecord sample) {
        for (Map.Entry<String, float[]> e : new TreeMap<>(sample.embeddings()).entrySet()) {
            Optional<String> defect = UnitVectors.defect(e.getValue());
            if (defect.isPresent()) {
                return Optional.of("embedding of model " + e.getKey() + " " + defect.get());
            }
        }
        return Optional.empty();
    }

    /** A sample whose embedding length differs from the identity's other samples of the same model cannot be averaged with them. */
    private static Optional<String> dimensionConflict(EnrollmentRecord sample, Iterable<EnrollmentRecord> others) {
        for (EnrollmentRecord other : others) {
            for (Map.Entry<String, float[]> e : sample.embeddings().entrySet()) {
                float[] existing = other.embeddings().get(e.getKey());
                if (existing != null && existing.length != e.getValue().length) {
                    return Optional.of("embedding of model " + e.getKey() + " has " + e.getValue().length
                            + " values, the identity's other samples " + existing.length);
                }
            }
        }
        return Optional.empty();
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        context().forward(deadLetters.of(record, STAGE, reason, context().recordMetadata().orElse(null)),
                EmbedderTopology.ENROLLMENT_DEAD_LETTER_SINK);
    }
}
