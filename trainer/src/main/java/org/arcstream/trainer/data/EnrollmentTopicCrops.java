package org.arcstream.trainer.data;

import java.time.Duration;
import java.util.ArrayList;
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
import org.arcstream.kafka.TopicSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training crops from the compacted enrollment topic: reads every partition from the beginning up to
 * the end offsets seen at the start (a snapshot; later enrollments wait for the next run), keeps the
 * latest value per key, honours tombstones, and skips, counting them, records it cannot use (no key,
 * a key or value that does not parse, no crop, a crop of another size or one that does not decode).
 */
public final class EnrollmentTopicCrops {

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentTopicCrops.class);

    private EnrollmentTopicCrops() {}

    public static GalleryCrops.Loaded read(String bootstrapServers, String topic, int cropSize, Duration timeout) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", bootstrapServers,
                "enable.auto.commit", false,
                "isolation.level", "read_committed",
                "max.poll.records", 500);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return read(consumer, topic, cropSize, timeout);
        }
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration timeout) {
        TopicSnapshot snapshot = TopicSnapshot.read(consumer, topic, timeout);
        Skips skips = new Skips();
        snapshot.keyless().forEach(at -> skips.add("a record without a key", at));
        List<LabeledCrop> crops = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : new TreeMap<>(snapshot.latest()).entrySet()) {
            try {
                SampleKey key = SampleKey.parse(e.getKey());
                EnrollmentRecord record = EnrollmentCodec.decode(e.getValue());
                crops.add(new LabeledCrop(key.identityId(), e.getKey(), CropPng.decode(record.cropPng(), cropSize)));
            } catch (RuntimeException ex) {
                skips.add(ex.getMessage(), e.getKey());
            }
        }
        skips.log(topic);
        return new GalleryCrops.Loaded(crops, skips.total);
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
