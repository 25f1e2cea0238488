package org.arcstream.trainer.data;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.Excerpt;
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
        Map<String, Object> config = kafka.clientConfig(Map.of(
                "enable.auto.commit", false,
                "isolation.level", "read_committed",
                "max.poll.records", 500));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return read(consumer, topic, cropSize, stall, spill);
        }
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration stall, CropSpill spill) {
        Skips skips = new Skips();
        // per key, the latest value's crop or why it gives none: a later value or a tombstone replaces either
        Map<String, LabeledCrop> crops = new TreeMap<>();
        Map<String, String> unusable = new TreeMap<>();
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
            if (r.value() == null) {
                return;
            }
            EnrollmentRecord record;
            try {
                record = usable(r.key(), r.value(), cropSize);
            } catch (RuntimeException e) {
                unusable.put(r.key(), String.valueOf(e.getMessage()));
                return;
            }
            crops.put(r.key(), spill.append(SampleKey.parse(r.key()).identityId(), r.key(), record.cropPng(), cropSize));
        });
        unusable.forEach((key, reason) -> skips.add(reason, key));
        skips.log(topic);
        LOG.info("read {} records of {}: {} crops ({} MB spilled to disk), {} skipped", read[0], topic, crops.size(),
                spill.bytes() >> 20, skips.total);
        return new GalleryCrops.Loaded(List.copyOf(crops.values()), skips.total);
    }

    /** The sample, when its key parses and its crop decodes at the size (decoded again when used); else why not. */
    private static EnrollmentRecord usable(String key, byte[] value, int cropSize) {
        SampleKey.parse(key);
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
