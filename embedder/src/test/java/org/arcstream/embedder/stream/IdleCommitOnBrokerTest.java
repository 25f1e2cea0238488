package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once on a real in-process broker: the matches of a frame that arrives on a quiet stream are committed
 * as soon as its batch is embedded, not at the end of the commit interval. The interval here is two minutes, and
 * the matches are awaited for one: without the commit the idle batch asks for, a read_committed reader would
 * see nothing within that minute.
 */
class IdleCommitOnBrokerTest {

    private static final Duration COMMIT_INTERVAL = Duration.ofMinutes(2);

    @Test
    void aLoneFramesMatchesAreCommittedWithoutWaitingForTheCommitInterval() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        Path image = EmbedderTopologyTest.lfw("Hugo_Chavez", 7);
        Path stateDir = Files.createTempDirectory("idle-commit-it");
        TopicNames topics = TopicNames.defaults();
        RecordingListener listener = new RecordingListener();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                FacePipelinePool pipelines = new FacePipelinePool(config);
                // the transaction timeout is the session timeout, and Kafka Streams wants it no shorter than the commit interval
                KafkaEmbedderRuntime embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                        .withApplicationId("idle-commit-it").withStateDir(stateDir).withCommitInterval(COMMIT_INTERVAL)
                        .withFailover(new FailoverSettings(COMMIT_INTERVAL, "", FailoverSettings.DEFAULT_TASK_TIMEOUT)),
                        pipelines, new MatchThreshold(0.38f), listener);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "reader",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
            reader.subscribe(List.of(topics.matches()));
            RecordHeaders headers = new RecordHeaders();
            FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "door");
            FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, "7");
            producer.send(new ProducerRecord<>(topics.frames(), null, "door", Files.readAllBytes(image), headers)).get();

            List<MatchRecord> matches = new ArrayList<>();
            long deadline = System.nanoTime() + COMMIT_INTERVAL.dividedBy(2).toNanos();
            while (matches.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(250))) {
                    matches.add(MatchCodec.decode(r.value()));
                }
            }
            assertEquals(List.of(7L), matches.stream().filter(m -> m.face() == 0).map(MatchRecord::sequence).toList(),
                    "the frame's best face matched (an unknown: the gallery is empty) and committed within half the commit interval; "
                    + "the stream saw " + listener.frames + " frames, embedded batches " + listener.batches + ", emitted "
                    + listener.matches.size() + " matches, dead letters " + listener.deadLetters);
        } finally {
            FileTrees.delete(stateDir);
        }
    }
}
