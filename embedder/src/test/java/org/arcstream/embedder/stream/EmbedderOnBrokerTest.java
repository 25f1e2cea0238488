package org.arcstream.embedder.stream;

import org.arcstream.ingest.topics.FrameHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.apache.kafka.streams.KafkaStreams;
import org.arcstream.core.config.Settings;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;

/** The embedder topology on a real in-process broker with exactly-once processing. */
class EmbedderOnBrokerTest {

    private static final List<String> PEOPLE = List.of("Ariel_Sharon", "Donald_Rumsfeld", "George_W_Bush", "Jacques_Chirac");

    @Test
    void framesBecomeExactlyOneCommittedMatchPerFace() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        Map<Identity, List<float[]>> enrolled = new LinkedHashMap<>();
        try (FacePipeline pipeline = new FacePipeline(config)) {
            for (String person : PEOPLE) {
                List<float[]> samples = new ArrayList<>();
                for (int n = 1; n <= 5; n++) {
                    samples.add(pipeline.bestFace(pipeline.decoder().decode(EmbedderTopologyTest.lfw(person, n))).orElseThrow().embedding());
                }
                enrolled.put(new Identity(person, person), samples);
            }
        }
        CentroidIndex gallery = CentroidIndex.build(enrolled, 1);
        TopicNames topics = TopicNames.defaults();
        Path stateDir = Files.createTempDirectory("embedder-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of(topics.frames(), 2, topics.faces(), 2, topics.matches(), 2, topics.deadLetter(), 1));
            int frames = 0;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (String person : PEOPLE) {
                    for (int n = 6; n <= 7; n++) {
                        String camera = "cam-" + (frames % 2);
                        RecordHeaders headers = new RecordHeaders();
                        FrameHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(frames));
                        FrameHeaders.put(headers, "label", person);
                        producer.send(new ProducerRecord<>(topics.frames(), null, camera,
                                Files.readAllBytes(EmbedderTopologyTest.lfw(person, n)), headers));
                        frames++;
                    }
                }
                producer.send(new ProducerRecord<>(topics.frames(), "cam-0", "broken".getBytes()));
            }

            Properties props = EmbedderTopology.streamsProperties("embedder-it", broker.bootstrapServers(), stateDir);
            try (KafkaStreams streams = new KafkaStreams(
                    EmbedderTopology.build(topics, () -> new FacePipeline(config), () -> gallery, 0.38f), props)) {
                streams.start();
                Map<String, Integer> bestFaceMatches = new HashMap<>();
                List<MatchRecord> all = new ArrayList<>();
                int deadLettered = 0;
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "reader",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(topics.matches(), topics.deadLetter()));
                    long deadline = System.currentTimeMillis() + 120_000;
                    while ((bestFaceMatches.values().stream().mapToInt(Integer::intValue).sum() < frames || deadLettered < 1)
                            && System.currentTimeMillis() < deadline) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                            if (r.topic().equals(topics.deadLetter())) {
                                deadLettered++;
                                continue;
                            }
                            MatchRecord m = MatchCodec.decode(r.value());
                            all.add(m);
                            if (m.face() == 0) {
                                String label = FrameHeaders.string(r.headers(), "label");
                                assertEquals(label, m.identity(), "frame " + m.sequence());
                                bestFaceMatches.merge(m.camera() + "/" + m.sequence(), 1, Integer::sum);
                            }
                        }
                    }
                    // nothing more arrives once everything is in: no duplicates
                    consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                        throw new AssertionError("unexpected extra record on " + r.topic());
                    });
                }
                assertEquals(frames, bestFaceMatches.size(), "every frame matched");
                bestFaceMatches.forEach((frame, count) -> assertEquals(1, count, "matches for " + frame));
                assertEquals(1, deadLettered);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
