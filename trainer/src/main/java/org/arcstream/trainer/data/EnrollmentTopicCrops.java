package org.arcstream.trainer.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.kafka.KafkaClientConfig;
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

    public static GalleryCrops.Loaded read(KafkaClientConfig kafka, String topic, int cropSize, Duration timeout) {
        Map<String, Object> config = kafka.clientConfig(Map.of(
                "enable.auto.commit", false,
                "isolation.level", "read_committed",
                "max.poll.records", 500));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return read(consumer, topic, cropSize, timeout);
        }
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic '" + topic + "' does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
        Map<String, byte[]> latest = new LinkedHashMap<>();
        Skips skips = new Skips();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading '" + topic + "' did not reach its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() == null) {
                    // no later record can replace or delete it: not a sample, whatever its value
                    skips.add("a record without a key", r.topic() + "/" + r.partition() + "@" + r.offset());
                } else if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r.value());
                }
            }
        }
        List<LabeledCrop> crops = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : new TreeMap<>(latest).entrySet()) {
            try {
                SampleKey key = SampleKey.parse(e.getKey());
                EnrollmentRecord record = EnrollmentCodec.decode(e.getValue());
                if (record.cropPng().length == 0) {
                    throw new IllegalArgumentException("the sample keeps no crop");
                }
                RgbImage crop = CropPng.decode(record.cropPng());
                if (crop.width() != cropSize || crop.height() != cropSize) {
                    throw new IllegalArgumentException("crop is " + crop.width() + "x" + crop.height() + ", expected " + cropSize + "x" + cropSize);
                }
                crops.add(new LabeledCrop(key.identityId(), e.getKey(), crop));
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

    private static boolean caughtUp(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
