package org.arcstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A compacted topic read from its start to the end offsets of the moment: the latest value of every
 * key (tombstoned keys left out) and its offset, the offsets at which each key was tombstoned, in order,
 * and where the records without a key are ({@code topic/partition@offset}: no later record can replace
 * or delete them, so no reader can use them).
 */
public record TopicSnapshot(Map<String, byte[]> latest, Map<String, Long> offsets, Map<String, List<Long>> tombstones,
        List<String> keyless) {

    public static TopicSnapshot read(Consumer<String, byte[]> consumer, String topic, Duration timeout) {
        return read(consumer, topic, timeout, (key, value) -> true);
    }

    /** A snapshot in which the records that {@code usable} refuses count as never written. */
    public static TopicSnapshot read(Consumer<String, byte[]> consumer, String topic, Duration timeout, BiPredicate<String, byte[]> usable) {
        List<TopicPartition> partitions = partitions(consumer, topic, timeout);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<String, byte[]> latest = new LinkedHashMap<>();
        Map<String, Long> offsets = new LinkedHashMap<>();
        Map<String, List<Long>> tombstones = new LinkedHashMap<>();
        List<String> keyless = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read topic " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue;
                }
                if (r.key() == null) {
                    keyless.add(r.topic() + "/" + r.partition() + "@" + r.offset());
                    continue;
                }
                if (!usable.test(r.key(), r.value())) {
                    continue;
                }
                if (r.value() == null) {
                    latest.remove(r.key());
                    tombstones.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.offset());
                } else {
                    latest.put(r.key(), r.value());
                    offsets.put(r.key(), r.offset());
                }
            }
        }
        return new TopicSnapshot(latest, offsets, tombstones, keyless);
    }

    /** The topic's partitions, waiting for a topic created a moment ago to show in the metadata. */
    public static List<TopicPartition> partitions(Consumer<String, byte[]> consumer, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }
}
