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
import org.arcstream.core.topics.SampleKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training crops from the compacted enrollment topic: reads every partition from the beginning up to
 * the end offsets seen at the start (a snapshot; later enrollments wait for the next run), keeps the
 * latest value per key, honours tombstones, and skips, counting them, records it cannot use.
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
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic '" + topic + "' does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
        Map<String, byte[]> latest = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading '" + topic + "' did not reach its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r.value());
                }
            }
        }
        List<LabeledCrop> crops = new ArrayList<>();
        int skipped = 0;
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
                LOG.warn("skipped enrollment sample {}: {}", e.getKey(), ex.getMessage());
                skipped++;
            }
        }
        return new GalleryCrops.Loaded(crops, skipped);
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
