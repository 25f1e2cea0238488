package org.arcstream.embedder.stream;

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
import java.util.function.BooleanSupplier;
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
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.arcstream.ingest.topics.FrameHeaders;
import org.junit.jupiter.api.Test;

/**
 * Stopping the embedder in the middle of a stream, with faces waiting for their embedding batch, and
 * starting it again neither loses nor repeats a match: the waiting faces come back from the
 * changelog of the pending-faces store.
 */
class EmbedderRestartTest {

    @Test
    void aRestartWithAHalfFilledBatchGivesExactlyOneMatchPerFace() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        Path stateDir = Files.createTempDirectory("embedder-restart");
        List<Path> images = new ArrayList<>();
        for (String person : List.of("Colin_Powell", "Tony_Blair", "Hugo_Chavez")) {
            for (int n = 1; n <= 10; n++) {
                images.add(EmbedderTopologyTest.lfw(person, n));
            }
        }
        MatchThreshold threshold = new MatchThreshold(0.38f);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); FacePipelinePool pipelines = new FacePipelinePool(config);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "counter",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            EmbedderSettings settings = EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                    .withApplicationId("embedder-restart").withStateDir(stateDir);
            EmbedderTopics.ensure(broker.bootstrapServers(), settings.topics());
            consumer.subscribe(List.of(settings.topics().matches()));
            Map<String, Integer> matchesPerFace = new HashMap<>();

            // first instance: batches flush by count only, so faces are left waiting when it stops
            RecordingListener first = new RecordingListener();
            KafkaStreams one = new KafkaStreams(EmbedderTopology.build(settings.withBatch(8, Duration.ofMinutes(5)), pipelines, threshold, first),
                    properties(settings));
            one.start();
            int sent = 0;
            while (first.facesEmbedded.get() < 8 || first.pendingFaces() == 0) {
                assertTrue(sent < images.size(), "ran out of frames before a batch was half full");
                send(producer, settings, images.get(sent), sent++);
                int expected = sent;
                await(() -> first.frames.get() == expected, "frame " + expected + " located");
            }
            // leave the group on the way out, as a rolling restart does, so the successor takes over at once
            one.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            int waitingAtStop = first.pendingFaces();
            assertTrue(waitingAtStop > 0 && sent < images.size(), "stopped mid-stream after " + sent + " frames with " + waitingAtStop
                    + " faces waiting");

            for (int i = sent; i < images.size(); i++) {
                send(producer, settings, images.get(i), i);
            }
            RecordingListener second = new RecordingListener();
            try (KafkaStreams two = new KafkaStreams(EmbedderTopology.build(settings, pipelines, threshold, second), properties(settings))) {
                two.start();
                long deadline = System.currentTimeMillis() + 90_000;
                while (bestFaces(matchesPerFace) < images.size() && System.currentTimeMillis() < deadline) {
                    count(consumer, matchesPerFace);
                }
                count(consumer, matchesPerFace);
            }
            assertEquals(images.size(), bestFaces(matchesPerFace), "every frame matched");
            matchesPerFace.forEach((face, n) -> assertEquals(1, n, "matches of face " + face));
            assertEquals(first.facesLocated.get() + second.facesLocated.get(), matchesPerFace.size(), "every located face matched");
            assertEquals(images.size() - sent, second.frames.get(), "the successor reads only the frames after the stop");
            assertEquals(second.facesLocated.get() + waitingAtStop, second.facesEmbedded.get(),
                    "the successor embeds the faces that were waiting, without locating them again");
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Properties properties(EmbedderSettings settings) {
        Properties props = EmbedderTopology.streamsProperties(settings);
        // one frame per poll, so the stop lands between frames
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1);
        return props;
    }

    private static void send(KafkaProducer<String, byte[]> producer, EmbedderSettings settings, Path image, int sequence) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(sequence));
        producer.send(new ProducerRecord<>(settings.topics().frames(), null, "cam", Files.readAllBytes(image), headers)).get();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for: " + what);
            Thread.sleep(10);
        }
    }

    private static long bestFaces(Map<String, Integer> matchesPerFace) {
        return matchesPerFace.keySet().stream().filter(k -> k.endsWith("/0")).count();
    }

    private static void count(KafkaConsumer<String, byte[]> consumer, Map<String, Integer> matchesPerFace) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            MatchRecord m = MatchCodec.decode(r.value());
            matchesPerFace.merge(m.sequence() + "/" + m.face(), 1, Integer::sum);
        }
    }
}
