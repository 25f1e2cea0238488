package org.arcstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.trainer.S3ProxyServer;
import org.arcstream.trainer.TinyOnnx;
import org.arcstream.trainer.data.CropSpill;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * When it starts, the service announces a model that a stopped process stored but never announced, and
 * removes the training crops such a process left in its run folder. Real broker.
 */
class StartupReconciliationTest {

    @TempDir
    Path tmp;

    @Test
    void aModelLeftUnannouncedIsAnnouncedAndLeftOverCropsAreRemovedWhenTheServiceStarts() throws Exception {
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 2f);
        Path leftOverCrops = Files.createDirectories(tmp.resolve("store").resolve("runs").resolve("killed-run")).resolve(CropSpill.FILE_NAME);
        Files.write(leftOverCrops, new byte[] {1, 2, 3});
        ModelEvent event = announcedAtStart(trained, Map.of());
        assertEquals(Sha256.hex(trained), event.sha256());
        assertEquals(tmp.resolve("store").resolve(event.modelVersion()).resolve("model.onnx").toUri().toString(), event.location());
        // removed by the same start-up task, before the announcement
        assertFalse(Files.exists(leftOverCrops), "left-over crops still in " + leftOverCrops);
    }

    /** With trainer.publish.s3.* set, the model is uploaded first and the event names the object. S3Proxy in-process. */
    @Test
    void withABucketConfiguredTheModelIsUploadedAndTheEventNamesTheObject() throws Exception {
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 3f);
        try (S3ProxyServer s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
                S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                        .httpClient(UrlConnectionHttpClient.create()).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))).build()) {
            client.createBucket(b -> b.bucket("fleet-models"));
            // as the environment variables of a deployment would set them
            ModelEvent event = announcedAtStart(trained, Map.of("trainer.publish.s3.bucket", "fleet-models",
                    "trainer.publish.s3.endpoint", s3.endpoint().toString(), "trainer.publish.s3.access-key-id", S3ProxyServer.ACCESS_KEY,
                    "trainer.publish.s3.secret-access-key", S3ProxyServer.SECRET_KEY));
            String key = "models/" + event.modelVersion() + ".onnx";
            assertEquals("s3://fleet-models/" + key, event.location());
            assertArrayEquals(Files.readAllBytes(trained), client.getObjectAsBytes(b -> b.bucket("fleet-models").key(key)).asByteArray());
        }
    }

    /** Stores a base model and an accepted one without its event, starts the service, returns the one event it sends. */
    private ModelEvent announcedAtStart(Path trained, Map<String, Object> settings) throws Exception {
        FileModelStore store = new FileModelStore(tmp.resolve("store"));
        String base = store.put(ModelDraft.imported(TinyOnnx.write(tmp.resolve("base.onnx"), 1f))).version();
        String version = store.put(new ModelDraft(trained, base, Map.of(), Map.of(), "accepted", "not worse")).version();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("models", 1));
            Map<String, Object> props = new HashMap<>(settings);
            props.put("trainer.store-dir", store.root().toString());
            props.put("trainer.bootstrap-servers", broker.bootstrapServers());
            props.put("trainer.schedule-cron", "");
            props.put("trainer.admin.password", "s3cret");
            try (ApplicationContext context = ApplicationContext.run(props)) {
                context.getBean(TrainingService.class);
                List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                        "group.id", "check", "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of("models"));
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (events.isEmpty() && System.currentTimeMillis() < deadline) {
                        consumer.poll(Duration.ofMillis(200)).forEach(events::add);
                    }
                }
                assertEquals(1, events.size());
                assertEquals(version, events.get(0).key());
                return ModelEventCodec.decode(events.get(0).value());
            }
        }
    }
}
