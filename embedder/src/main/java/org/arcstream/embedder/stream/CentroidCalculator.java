package org.arcstream.embedder.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.core.topics.SampleKey;

/**
 * Enrollment samples to identity centroids: keeps each identity's samples (embeddings only, no crop)
 * in the enrollment-samples store and, whenever a sample of an identity is added, replaced or
 * deleted (tombstone), recomputes that identity's centroid(s) for every model version it touches and
 * writes them to the centroids topic, or a tombstone when no sample of a model version is left.
 * Needs all samples of an identity in one task, which the single-partition enrollment topic gives.
 */
final class CentroidCalculator extends ContextualProcessor<String, byte[], String, byte[]> {

    static final String STAGE = "enrollment";

    private final int subCentroids;
    private final PipelineListener listener;
    private KeyValueStore<String, byte[]> samples;

    CentroidCalculator(int subCentroids, PipelineListener listener) {
        this.subCentroids = subCentroids;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        samples = context.getStateStore(EmbedderTopology.ENROLLMENT_SAMPLES_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        SampleKey key;
        EnrollmentRecord sample = null;
        try {
            key = SampleKey.parse(record.key());
            if (record.value() != null) {
                sample = EnrollmentCodec.decode(record.value());
                if (!sample.identityId().equals(key.identityId())) {
                    throw new RecordFormatException("sample of identity '" + sample.identityId() + "' under key '" + record.key() + "'");
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
                EnrollmentRecord stored = EnrollmentCodec.decode(entry.value);
                if (entry.key.equals(key.toString())) {
                    previous = stored;
                } else {
                    others.put(entry.key.substring(prefix.length()), stored);
                }
            }
        }
        if (sample != null) {
            String conflict = dimensionConflict(sample, others.values());
            if (conflict != null) {
                deadLetter(record, "unreadable-enrollment: " + conflict);
                return;
            }
        }
        TreeSet<String> touched = new TreeSet<>();
        if (previous != null) {
            touched.addAll(previous.embeddings().keySet());
        }
        if (sample == null) {
            if (previous == null) {
                return; // deleting a sample that is not there changes nothing
            }
            samples.delete(key.toString());
        } else {
            samples.put(key.toString(), EnrollmentCodec.encode(sample.withoutCrop()));
            others.put(key.sampleId(), sample);
            touched.addAll(sample.embeddings().keySet());
        }
        // the latest enrollment names the identity; after a deletion, any remaining sample does
        String name = sample != null ? sample.name() : others.values().stream().map(EnrollmentRecord::name).findFirst().orElse("");
        for (String model : touched) {
            emitCentroids(record, key.identityId(), name, model, others);
        }
    }

    private void emitCentroids(Record<String, byte[]> cause, String identityId, String name, String model,
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
            context().forward(new Record<String, byte[]>(key, null, cause.timestamp()), EmbedderTopology.CENTROIDS_SINK);
            return;
        }
        Map<Identity, List<float[]>> one = new LinkedHashMap<>();
        one.put(new Identity(identityId, name), vectors);
        List<float[]> centroids = CentroidIndex.build(one, subCentroids).centroids(identityId);
        byte[] value = CentroidCodec.encode(new CentroidRecord(identityId, name, model, sampleIds, centroids));
        context().forward(new Record<>(key, value, cause.timestamp()), EmbedderTopology.CENTROIDS_SINK);
    }

    /** A sample whose embedding length differs from the identity's other samples of the same model cannot be averaged with them. */
    private static String dimensionConflict(EnrollmentRecord sample, Iterable<EnrollmentRecord> others) {
        for (EnrollmentRecord other : others) {
            for (Map.Entry<String, float[]> e : sample.embeddings().entrySet()) {
                float[] existing = other.embeddings().get(e.getKey());
                if (existing != null && existing.length != e.getValue().length) {
                    return "embedding of model " + e.getKey() + " has " + e.getValue().length + " values, the identity's other samples "
                            + existing.length;
                }
            }
        }
        return null;
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        context().forward(record.withHeaders(DeadLetters.headers(record.headers(), STAGE, reason, context().recordMetadata().orElse(null))),
                EmbedderTopology.ENROLLMENT_DEAD_LETTER_SINK);
        listener.onDeadLetter(STAGE, reason);
    }
}
