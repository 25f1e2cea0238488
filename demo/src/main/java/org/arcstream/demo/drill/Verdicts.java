package org.arcstream.demo.drill;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
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

    Verdicts(String bootstrap, String camera) {
        this.camera = camera;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "arcstream-drill-" + camera,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("matches", "dead-letter"));
    }

    void poll(Duration timeout) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            if (r.topic().equals("dead-letter")) {
                if (!camera.equals(FrameRecordHeaders.string(r.headers(), FrameHeaders.CAMERA))) {
                    continue;
                }
                long sequence = FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1);
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

    DrillResult result(String name, long sent, OptionalLong recoveredMillis) {
        Map<Long, Boolean> duplicatedBySequence = new HashMap<>();
        arrivals.forEach((key, n) -> duplicatedBySequence.merge(Long.parseLong(key.substring(0, key.indexOf('/'))), n > 1,
                Boolean::logicalOr));
        long duplicated = duplicatedBySequence.values().stream().filter(d -> d).count();
        long withVerdict = duplicatedBySequence.keySet().stream().filter(s -> s >= 0 && s < sent).count();
        return new DrillResult(name, sent, withVerdict - duplicated, sent - withVerdict, duplicated,
                recoveredMillis.isPresent() ? Math.round(recoveredMillis.getAsLong() / 100.0) / 10.0 : null);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
