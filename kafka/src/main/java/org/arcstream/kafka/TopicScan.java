package org.arcstream.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A topic read from its start to the end offsets of the moment, each record handed to a visitor as it
 * arrives: the reader keeps what it needs of a record and nothing more, so a topic of any size is read
 * with the memory of one poll. Unlike {@link TopicSnapshot}, whose whole read must fit in its timeout,
 * a scan fails only when the topic stops delivering for {@code stall}: a large topic takes as long as it takes.
 */
public final class TopicScan {

    /** Receives the records of a scan, per partition in offset order. */
    @FunctionalInterface
    public interface Visitor {
        void record(ConsumerRecord<String, byte[]> record);
    }

    private TopicScan() {}

    /**
     * Hands every record below the end offsets of the moment to {@code visitor}, records without a key included.
     *
     * @return the number of records read
     * @throws IllegalStateException when no record arrives for {@code stall} although the end is not reached
     */
    public static long read(Consumer<String, byte[]> consumer, String topic, Duration stall, Visitor visitor) {
        List<TopicPartition> partitions = TopicSnapshot.partitions(consumer, topic, stall);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, stall);
        long read = 0;
        long lastProgress = System.nanoTime();
        while (partitions.stream().anyMatch(p -> consumer.position(p, stall) < end.get(p))) {
            boolean progressed = false;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue;
                }
                visitor.record(r);
                read++;
                progressed = true;
            }
            if (progressed) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                throw new IllegalStateException("topic " + topic + " delivered nothing for " + stall + " before its end ("
                        + read + " records read)");
            }
        }
        return read;
    }
}
