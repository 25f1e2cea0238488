package org.arcstream.embedder.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.stream.DeadLetters;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code matches}, {@code faces}, {@code frames} and {@code dead-letter} topics from their end, on every
 * partition and outside any consumer group (each instance's console sees the whole fleet, and reading costs
 * the stream nothing), into the console's bounded stores. One thread, started by {@link #start}.
 */
public final class TopicTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How often partitions are looked up again: topics created after the start, partitions added. */
    private static final long ASSIGNMENT_REFRESH_MILLIS = 5_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String matchesTopic;
    private final String framesTopic;
    private final String deadLetterTopic;
    private final String facesTopic;
    private final MatchLog matches;
    private final UnknownFaces unknownFaces;
    private final FrameSamples frames;
    private final DeadLetterLog deadLetters;
    private final Thread thread;
    private volatile boolean running = true;

    private TopicTail(KafkaClientConfig kafka, ConsoleTopics topics, MatchLog matches, FrameSamples frames,
            DeadLetterLog deadLetters, UnknownFaces unknownFaces) {
        // a frame above max.partition.fetch.bytes still comes: a fetch always returns at least one record
        this.consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "arcstream-console",
                // matches are written in transactions; the console shows what applications see
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.matchesTopic = topics.matches();
        this.framesTopic = topics.frames();
        this.deadLetterTopic = topics.deadLetter();
        this.facesTopic = topics.faces();
        this.matches = matches;
        this.unknownFaces = unknownFaces;
        this.frames = frames;
        this.deadLetters = deadLetters;
        this.thread = new Thread(this::run, "console-topic-tail");
        this.thread.setDaemon(true);
    }

    /** Creates the consumer and starts reading on its own thread. */
    public static TopicTail start(KafkaClientConfig kafka, ConsoleTopics topics, MatchLog matches, FrameSamples frames,
            DeadLetterLog deadLetters, UnknownFaces unknownFaces) {
        TopicTail tail = new TopicTail(kafka, topics, matches, frames, deadLetters, unknownFaces);
        tail.thread.start();
        return tail;
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        boolean listed = false;
        try {
            while (running) {
                if (System.currentTimeMillis() >= nextRefresh) {
                    try {
                        assign(assigned, !listed);
                        listed = true;
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        // the cluster is not reachable right now: the next refresh tries again
                        LOG.debug("console: cannot list the partitions yet: {}", e.toString());
                    }
                    nextRefresh = System.currentTimeMillis() + ASSIGNMENT_REFRESH_MILLIS;
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    try {
                        take(record);
                    } catch (RuntimeException e) {
                        // the stream dead-letters bad records; the console only shows what it can read
                        LOG.debug("console skips {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("the console stops reading the topics: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(1));
            matches.close();
        }
    }

    /** Adds partitions not read yet: from their end at the start, from their beginning when they appear later. */
    private void assign(Set<TopicPartition> assigned, boolean first) {
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : List.of(matchesTopic, framesTopic, deadLetterTopic, facesTopic)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            if (partitions != null) {
                partitions.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        List<TopicPartition> added = found.stream().filter(tp -> !assigned.contains(tp)).toList();
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(assigned);
        if (first) {
            consumer.seekToEnd(added);
        } else {
            consumer.seekToBeginning(added);
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(matchesTopic)) {
            if (record.value() != null) {
                MatchRecord match = MatchCodec.decode(record.value());
                unknownFaces.match(match);
                matches.add(match);
            }
        } else if (record.topic().equals(facesTopic)) {
            if (record.value() != null) {
                unknownFaces.face(FaceEmbeddingCodec.decode(record.value()));
            }
        } else if (record.topic().equals(framesTopic)) {
            String camera = FrameRecordHeaders.string(record.headers(), FrameHeaders.CAMERA);
            if (camera == null && record.key() != null) {
                camera = new String(record.key(), StandardCharsets.UTF_8);
            }
            if (camera != null && record.value() != null) {
                frames.add(new FrameSamples.Frame(camera,
                        FrameRecordHeaders.number(record.headers(), FrameHeaders.SEQUENCE, record.offset()),
                        FrameRecordHeaders.number(record.headers(), FrameHeaders.CAPTURE_TIMESTAMP, record.timestamp()),
                        FrameRecordHeaders.string(record.headers(), FrameHeaders.CONTENT_TYPE), record.value()));
            }
        } else {
            Headers h = record.headers();
            deadLetters.add(new DeadLetterLog.DeadLetter(record.timestamp(),
                    record.key() == null ? null : Excerpt.quote(new String(record.key(), StandardCharsets.UTF_8)),
                    header(h, DeadLetters.STAGE), header(h, DeadLetters.REASON), header(h, DeadLetters.SOURCE_TOPIC),
                    header(h, DeadLetters.SOURCE_PARTITION), header(h, DeadLetters.SOURCE_OFFSET), header(h, DeadLetters.SIZE)));
        }
    }

    private static String header(Headers headers, String name) {
        return FrameRecordHeaders.string(headers, name);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
