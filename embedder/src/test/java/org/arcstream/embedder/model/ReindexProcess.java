package org.arcstream.embedder.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.runtime.InferenceOptions;

/**
 * The re-index of a promotion alone in a JVM of its own, so that a test can give it a small heap and kill it:
 * {@code ReindexProcess BOOTSTRAP MODEL_FILE VERSION}. Prints {@code embedded=N identities=M} when done.
 */
final class ReindexProcess {

    static final String ENROLLMENT = "enrollment";
    static final String CENTROIDS = "centroids";
    static final int CROP_SIZE = 112;

    private ReindexProcess() {}

    public static void main(String[] args) {
        String bootstrap = args[0];
        Path model = Path.of(args[1]);
        String version = args[2];
        Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
                FaceEmbedder embedder = new FaceEmbedder(EmbeddingModelSpec.withDefaultPreprocessing(model, version),
                        InferenceOptions.defaults(), 16, false)) {
            GalleryReindexer reindexer = new GalleryReindexer(
                    () -> new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()), producer, ENROLLMENT,
                    CENTROIDS, CROP_SIZE);
            GalleryReindexer.Outcome outcome = reindexer.reindex(version, embedder, Duration.ofMinutes(10));
            System.out.println("embedded=" + outcome.embedded() + " identities=" + outcome.identities());
        }
        System.exit(0);
    }
}
