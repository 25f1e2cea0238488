package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.arcstream.core.runtime.SharedModels;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.embedder.TestResources;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * An embedder with eight frames partitions (eight stream tasks on two threads) holds one ONNX Runtime
 * session per model: the detector, the landmark model and the one embedding model version, however many
 * tasks run, and no more face pipelines than its bound.
 */
class SharedModelsOnBrokerTest {

    private static final int PARTITIONS = 8;
    private static final int THREADS = 2;

    @Test
    void eightFramesPartitionsShareOneSessionPerModelAndVersion() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        String[] people = {"Colin_Powell", "George_W_Bush", "Hugo_Chavez", "Vladimir_Putin"};
        Path state = Files.createTempDirectory("shared-models");
        EmbeddedKafkaBroker broker = null;
        FacePipelinePool pipelines = null;
        KafkaEmbedderRuntime embedder = null;
        KafkaProducer<String, byte[]> producer = null;
        KafkaConsumer<String, byte[]> consumer = null;
        try {
            broker = EmbeddedKafkaBroker.start();
            TopicNames topics = TopicNames.defaults();
            broker.createTopics(Map.of(topics.frames(), PARTITIONS));
            pipelines = new FacePipelinePool(config, THREADS, FacePipelinePool.REQUEST_PIPELINES, FacePipelinePool.WAIT);
            embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                    .withApplicationId("shared-models").withStateDir(state).withStreamThreads(THREADS),
                    pipelines, new MatchThreshold(0.38f), PipelineListener.NONE);
            assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
            int frames = 0;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int n = 1; n <= 2; n++) {
                    byte[] image = Files.readAllBytes(EmbedderTopologyTest.lfw(people[partition % people.length], partition / people.length * 2 + n));
                    RecordHeaders headers = new RecordHeaders();
                    FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "cam-" + partition);
                    FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(frames++));
                    producer.send(new ProducerRecord<>(topics.frames(), partition, "cam-" + partition, image, headers)).get();
                }
            }
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "reader",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topics.faces()));
            Set<Long> embedded = new HashSet<>();
            Set<Integer> partitions = new HashSet<>();
            long deadline = System.currentTimeMillis() + 120_000;
            while (embedded.size() < frames && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    FaceEmbeddingRecord face = FaceEmbeddingCodec.decode(r.value());
                    embedded.add(face.frame().sequence());
                    partitions.add(face.frame().partition());
                }
            }
            assertEquals(frames, embedded.size(), "every frame embedded");
            assertEquals(PARTITIONS, partitions.size(), "frames of every partition (task) embedded");

            // while the eight tasks are alive: one session per model file, and one embedding model version
            for (Path file : List.of(config.detectorModel(), config.landmarkModel(), config.embedding().file())) {
                List<SharedModels.LoadedModel> sessions = SharedModels.process().loaded().stream()
                        .filter(m -> m.file().equals(file)).toList();
                assertEquals(1, sessions.size(), "sessions of " + file.getFileName() + ": " + sessions);
                assertTrue(sessions.get(0).users() <= pipelines.maxPipelines(), "users of " + file.getFileName() + ": " + sessions);
            }
            assertEquals(Set.of(config.embedding().id()), Set.of(pipelines.modelVersion()));
        } finally {
            TestResources.closeAll(consumer, producer, embedder, pipelines, broker);
            FileTrees.delete(state);
        }
    }
}
