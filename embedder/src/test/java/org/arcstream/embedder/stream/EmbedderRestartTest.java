package org.arcstream.embedder.stream;

import org.arcstream.ingest.topics.FrameHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
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
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.arcstream.core.config.Settings;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;

/** Stopping the embedder in the middle of a stream and starting it again neither loses nor repeats a match. */
class EmbedderRestartTest {

    @Test
    void aRestartMidStreamGivesExactlyOneMatchPerFace() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        CentroidIndex emptyGallery = CentroidIndex.build(Map.of(), 1);
        TopicNames topics = TopicNames.defaults();
        Path stateDir = Files.createTempDirectory("embedder-restart");
        List<Path> images = new ArrayList<>();
        for (String person : List.of("Colin_Powell", "Tony_Blair", "Hugo_Chavez")) {
            for (int n = 1; n <= 10; n++) {
                images.add(EmbedderTopologyTest.lfw(person, n));
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of(topics.frames(), 1, topics.faces(), 1, topics.matches(), 1, topics.deadLetter(), 1));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < images.size(); i++) {
                    RecordHeaders headers = new RecordHeaders();
                    FrameHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(i));
                    producer.send(new ProducerRecord<>(topics.frames(), null, "cam", Files.readAllBytes(images.get(i)), headers));
                }
            }
            Properties props = EmbedderTopology.streamsProperties("embedder-restart", broker.bootstrapServers(), stateDir);
            // a small poll batch, so the stop lands between commits in the middle of the stream
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2);

            Map<Long, Integer> bestFaceMatches = new HashMap<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "counter",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topics.matches()));
                KafkaStreams first = new KafkaStreams(
                        EmbedderTopology.build(topics, () -> new FacePipeline(config), () -> emptyGallery, 0.38f), props);
                first.start();
                long deadline = System.currentTimeMillis() + 60_000;
                while (bestFaceMatches.size() < 5 && System.currentTimeMillis() < deadline) {
                    count(consumer, bestFaceMatches);
                }
                // leave the group on the way out, as a rolling restart does, so the successor takes over at once
                first.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
                int beforeRestart = bestFaceMatches.size();
                assertTrue(beforeRestart > 0 && beforeRestart < images.size(), "stopped mid-stream after " + beforeRestart);
                try (KafkaStreams second = new KafkaStreams(
                        EmbedderTopology.build(topics, () -> new FacePipeline(config), () -> emptyGallery, 0.38f), props)) {
                    second.start();
                    long end = System.currentTimeMillis() + 90_000;
                    while (bestFaceMatches.size() < images.size() && System.currentTimeMillis() < end) {
                        count(consumer, bestFaceMatches);
                    }
                    count(consumer, bestFaceMatches);
                }
            }
            assertEquals(images.size(), bestFaceMatches.size(), "every frame matched");
            bestFaceMatches.forEach((frame, n) -> assertEquals(1, n, "best-face matches of frame " + frame));
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void count(KafkaConsumer<String, byte[]> consumer, Map<Long, Integer> bestFaceMatches) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            MatchRecord m = MatchCodec.decode(r.value());
            if (m.face() == 0) {
                bestFaceMatches.merge(m.sequence(), 1, Integer::sum);
            }
        }
    }
}
