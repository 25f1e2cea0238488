package org.arcstream.demo.drill;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.stream.DeadLetters;
import org.arcstream.kafka.FrameRecordHeaders;

/**
 * What a read_committed reader of {@code matches} and {@code dead-letter} sees of one camera's frames: how
 * often each face's match (or the frame's dead letter) arrived, and when the first verdict on a frame
 * captured after a given moment arrived.
 */
final class Verdicts implements AutoCloseable {

    private final String camera;
    private final KafkaConsumer<String, byte[]> consumer;
    /** "sequence/face" for matches, "sequence/dead" for dead letters, to how often it arrived. */
    private final Map<String, Integer> arrivals = new HashMap<>();
    private final Map<Long, Long> firstArrivalBySequence = new ConcurrentHashMap<>();
    private final Map<Long, Long> captureBySequence = new ConcurrentHashMap<>();
    /** What of the original frame each of the camera's dead letters carries ({@code dlq.payload}), by sequence number. */
    private final Map<Long, String> deadLetterPayloadBySequence = new HashMap<>();
    /** Dead letters of records that are not this camera's frames (poison records), by the topic they came from. */
    private final Map<String, Integer> otherDeadLettersBySource = new TreeMap<>();

    Verdicts(String bootstrap, String camera) {
        this.camera = camera;
        // no consumer group: the reader keeps its position in memory, so a broker restart while it reads cannot send
        // it back to an older committed offset (which would count a verdict twice that arrived once)
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = Stream.of("matches", "dead-letter")
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofMinutes(1)).stream().map(p -> new TopicPartition(topic, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    void poll(Duration timeout) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            if (r.topic().equals("dead-letter")) {
                if (!camera.equals(FrameRecordHeaders.string(r.headers(), FrameHeaders.CAMERA))) {
                    String source = FrameRecordHeaders.string(r.headers(), DeadLetters.SOURCE_TOPIC);
                    otherDeadLettersBySource.merge(source == null ? "?" : source, 1, Integer::sum);
                    continue;
                }
                long sequence = FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1);
                deadLetterPayloadBySequence.put(sequence, FrameRecordHeaders.string(r.headers(), DeadLetters.PAYLOAD));
                arrive(sequence + "/dead", sequence, FrameRecordHeaders.number(r.headers(), FrameHeaders.CAPTURE_TIMESTAMP, 0), now);
                continue;
            }
            MatchRecord m = MatchCodec.decode(r.value());
            if (camera.equals(m.camera())) {
                arrive(m.sequence() + "/" + m.face(), m.sequence(), m.capturedAt(), now);
            }
        }
    }

    private void arrive(String key, long sequence, long capturedAt, long now) {
        arrivals.merge(key, 1, Integer::sum);
        firstArrivalBySequence.putIfAbsent(sequence, now);
        captureBySequence.putIfAbsent(sequence, capturedAt);
    }

    int framesWithVerdict() {
        return firstArrivalBySequence.size();
    }

    /** Reads until every one of {@code sent} frames has a verdict or the timeout passes, then a little longer for duplicates. */
    void awaitAll(long sent, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (framesWithVerdict() < sent && System.currentTimeMillis() < deadline) {
            poll(Duration.ofMillis(200));
        }
        long settle = System.currentTimeMillis() + 2_000;
        while (System.currentTimeMillis() < settle) {
            poll(Duration.ofMillis(200));
        }
    }

    /** Seconds from {@code faultMillis} to the first verdict on a frame captured after it. */
    OptionalLong recoveredMillis(long faultMillis) {
        return captureBySequence.entrySet().stream().filter(e -> e.getValue() >= faultMillis)
                .mapToLong(e -> firstArrivalBySequence.get(e.getKey()) - faultMillis).min();
    }

    /**
     * The drill's figures over the {@code sent} frames (sequence numbers 0 to sent - 1). Frames of {@code apart}
     * (meant to be dead-lettered, not matched) count as lost or duplicated like any other, but not among the frames
     * sent and matched once, which are about the normal frames.
     */
    DrillResult result(String name, long sent, Set<Long> apart, OptionalLong recoveredMillis) {
        Map<Long, Boolean> duplicatedBySequence = new HashMap<>();
        arrivals.forEach((key, n) -> duplicatedBySequence.merge(Long.parseLong(key.substring(0, key.indexOf('/'))), n > 1,
                Boolean::logicalOr));
        duplicatedBySequence.keySet().removeIf(s -> s < 0 || s >= sent);
        long duplicated = duplicatedBySequence.values().stream().filter(d -> d).count();
        long lost = sent - duplicatedBySequence.size();
        long matchedOnce = duplicatedBySequence.entrySet().stream().filter(e -> !e.getValue() && !apart.contains(e.getKey())).count();
        long normalSent = sent - apart.stream().filter(s -> s >= 0 && s < sent).count();
        return new DrillResult(name, normalSent, matchedOnce, lost, duplicated,
                recoveredMillis.isPresent() ? Math.round(recoveredMillis.getAsLong() / 100.0) / 10.0 : null);
    }

    /** {@code dlq.payload} of the frame's dead letter ({@code included}, {@code value-omitted}, ...), or null when it has none. */
    String deadLetterPayload(long sequence) {
        return deadLetterPayloadBySequence.get(sequence);
    }

    /** True when the frame's only verdict is one dead letter. */
    boolean deadLetteredOnce(long sequence) {
        return arrivals.getOrDefault(sequence + "/dead", 0) == 1
                && arrivals.keySet().stream().noneMatch(k -> k.startsWith(sequence + "/") && !k.endsWith("/dead"));
    }

    /** Dead letters of records other than this camera's frames, by source topic. */
    Map<String, Integer> otherDeadLetters() {
        return Map.copyOf(otherDeadLettersBySource);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
