package org.arcstream.trainer.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.RecognitionKey;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.TopicScan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training crops from the compacted enrollment topic: reads every partition from the beginning up to
 * the end offsets seen at the start (a snapshot; later enrollments wait for the next run), keeps the
 * latest value per key, honours tombstones, and skips, counting them, records it cannot use (no key,
 * a key or value that does not parse, no crop, a crop of another size or one that does not decode).
 *
 * <p>The topic is read as a stream: each crop is checked as it arrives and written to a {@link CropSpill},
 * and only a small handle per sample stays in the heap, so a gallery of any size is read with the memory
 * of one poll. Progress is logged every {@value #PROGRESS_EVERY} records.
 *
 * <p>Beside it, the compacted recognitions topic (the embedder's confident recognitions, keyed
 * {@code identityId/camera/slot}) gives crops labelled with their camera. Only people enrolled at the time of
 * the read are trained on: a recognition of someone whose enrollment samples are all deleted is dropped before
 * it reaches the spill, so a deleted person is never trained on even before compaction removes their samples.
 */
public final class EnrollmentTopicCrops {

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentTopicCrops.class);
    private static final int PROGRESS_EVERY = 5_000;

    private EnrollmentTopicCrops() {}

    /**
     * @param stall how long the topic may deliver nothing before its end is reached; a large topic takes as long as it takes
     * @param spill where the crops go; the crops returned read from it, so it stays open while they are used
     */
    public static GalleryCrops.Loaded read(KafkaClientConfig kafka, String topic, int cropSize, Duration stall, CropSpill spill) {
        return read(kafka, topic, null, cropSize, stall, spill);
    }

    /**
     * The enrollment topic's crops, then the recognitions topic's crops of the people enrolled now.
     *
     * @param recognitionsTopic the embedder's confident recognitions; null to read the enrollment topic only
     */
    public static GalleryCrops.Loaded read(KafkaClientConfig kafka, String topic, String recognitionsTopic, int cropSize, Duration stall,
            CropSpill spill) {
        Map<String, Object> config = kafka.clientConfig(Map.of(
                "enable.auto.commit", false,
                "isolation.level", "read_committed",
                "max.poll.records", 500));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return read(consumer, topic, recognitionsTopic, cropSize, stall, spill);
        }
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration stall, CropSpill spill) {
        return read(consumer, topic, null, cropSize, stall, spill);
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, String recognitionsTopic, int cropSize,
            Duration stall, CropSpill spill) {
        Scan enrollment = scan(consumer, topic, cropSize, stall, spill, key -> SampleKey.parse(key).identityId(), null, null);
        if (recognitionsTopic == null) {
            return enrollment.loaded();
        }
        Set<String> enrolled = enrollment.identities();
        Scan recognitions = scan(consumer, recognitionsTopic, cropSize, stall, spill, key -> RecognitionKey.parse(key).identityId(),
                key -> RecognitionKey.parse(key).camera(), enrolled);
        List<LabeledCrop> crops = new ArrayList<>(enrollment.crops());
        crops.addAll(recognitions.crops());
        LOG.info("training on {} enrollment and {} recognition crops of {} enrolled people ({} recognitions of people not enrolled left out)",
                enrollment.crops().size(), recognitions.crops().size(), enrolled.size(), recognitions.notEnrolled());
        return new GalleryCrops.Loaded(List.copyOf(crops), enrollment.skipped() + recognitions.skipped());
    }

    /**
     * One topic's latest values as crops.
     *
     * @param identity the identity a key names (throws on a key that does not parse)
     * @param camera the camera a key names; null for a topic without cameras
     * @param enrolled the identities whose crops are kept; null for all
     */
    private static Scan scan(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration stall, CropSpill spill,
            Function<String, String> identity, Function<String, String> camera, Set<String> enrolled) {
        Skips skips = new Skips();
        // per key, the latest value's crop or why it gives none: a later value or a tombstone replaces either
        Map<String, LabeledCrop> crops = new TreeMap<>();
        Map<String, String> unusable = new TreeMap<>();
        Map<String, String> notEnrolled = new TreeMap<>();
        long[] read = {0};
        TopicScan.read(consumer, topic, stall, r -> {
            if (++read[0] % PROGRESS_EVERY == 0) {
                LOG.info("read {} records of {}: {} crops so far", read[0], topic, crops.size());
            }
            if (r.key() == null) {
                skips.add("a record without a key", r.topic() + "/" + r.partition() + "@" + r.offset());
                return;
            }
            crops.remove(r.key());
            unusable.remove(r.key());
            notEnrolled.remove(r.key());
            if (r.value() == null) {
                return;
            }
            String id;
            EnrollmentRecord record;
            try {
                id = identity.apply(r.key());
                record = usable(r.value(), cropSize);
            } catch (RuntimeException e) {
                unusable.put(r.key(), String.valueOf(e.getMessage()));
                return;
            }
            if (enrolled != null && !enrolled.contains(id)) {
                // deleted (or never enrolled): never written to the spill
                notEnrolled.put(r.key(), id);
                return;
            }
            crops.put(r.key(), spill.append(id, r.key(), record.cropPng(), cropSize, camera == null ? null : camera.apply(r.key())));
        });
        unusable.forEach((key, reason) -> skips.add(reason, key));
        skips.log(topic);
        LOG.info("read {} records of {}: {} crops ({} MB spilled to disk), {} skipped", read[0], topic, crops.size(),
                spill.bytes() >> 20, skips.total);
        // the people enrolled: every live key counts, a sample whose crop is unusable too
        Set<String> identities = new TreeSet<>();
        crops.values().forEach(c -> identities.add(c.identity()));
        unusable.keySet().forEach(key -> {
            try {
                identities.add(identity.apply(key));
            } catch (RuntimeException e) {
                // a key that does not parse names nobody
            }
        });
        return new Scan(List.copyOf(crops.values()), skips.total, identities, notEnrolled.size());
    }

    private record Scan(List<LabeledCrop> crops, int skipped, Set<String> identities, int notEnrolled) {
        GalleryCrops.Loaded loaded() {
            return new GalleryCrops.Loaded(crops, skipped);
        }
    }

    /** The sample, when its crop decodes at the size (decoded again when used); else why not. */
    private static EnrollmentRecord usable(byte[] value, int cropSize) {
        EnrollmentRecord record = EnrollmentCodec.decode(value);
        CropPng.decode(record.cropPng(), cropSize);
        return record;
    }

    /**
     * Records that give no crop, by reason. Logged as one line per run, not one per record: every run
     * reads the whole topic again, and a topic full of bad records would otherwise flood the log.
     */
    private static final class Skips {
        private final Map<String, Integer> byReason = new TreeMap<>();
        private final Map<String, String> example = new TreeMap<>();
        private int total;

        /** Counted under the reason's text up to its first quote or colon, which leaves out the key or value it names. */
        void add(String reason, String key) {
            String why = String.valueOf(reason);
            int cut = why.length();
            for (char c : new char[] {'\'', ':'}) {
                int at = why.indexOf(c);
                cut = at > 0 ? Math.min(cut, at) : cut;
            }
            String kind = why.substring(0, cut).trim();
            byReason.merge(kind, 1, Integer::sum);
            example.putIfAbsent(kind, Excerpt.quote(key) + ": " + why);
            total++;
        }

        void log(String topic) {
            if (total == 0) {
                return;
            }
            StringBuilder line = new StringBuilder();
            byReason.forEach((kind, n) -> line.append(line.length() == 0 ? "" : "; ").append(n).append(" x ").append(kind)
                    .append(" (e.g. ").append(example.get(kind)).append(')'));
            LOG.warn("skipped {} records of {} that give no training crop: {}", total, topic, line);
        }
    }
}
