package org.arcstream.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.kafka.TopicSnapshot;
import org.arcstream.trainer.S3ProxyServer;
import org.arcstream.trainer.TinyOnnx;
import org.arcstream.trainer.delivery.S3ModelUpload;
import org.arcstream.trainer.delivery.S3PublishConfig;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.ModelDraft;
import org.arcstream.trainer.store.StoredModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Models published through an S3-compatible bucket: S3Proxy (a real S3 server on a temporary folder) and a real broker.
 * The object is in the bucket, with the file's bytes, before the event names it; nothing is announced that is not there.
 */
class S3PublishingTest {

    private static final String BUCKET = "arcstream-models";

    private static EmbeddedKafkaBroker broker;
    private static S3ProxyServer s3;
    private static S3Client reader;

    @TempDir
    static Path storage;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        s3 = S3ProxyServer.start(Files.createDirectories(storage.resolve("s3")));
        // the embedder's transport and checksum settings (S3Proxy does not know the SDK's newer checksum headers)
        reader = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))).build();
        reader.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() throws Exception {
        reader.close();
        s3.close();
        broker.close();
    }

    private static S3PublishConfig config(String bucket, String secret) {
        return new S3PublishConfig(bucket, "fleet/models", s3.endpoint().toString(), "us-east-1", true, S3ProxyServer.ACCESS_KEY, secret);
    }

    private static S3ModelUpload upload() {
        return S3ModelUpload.open(config(BUCKET, S3ProxyServer.SECRET_KEY));
    }

    private FileModelStore store(long millis) {
        return new FileModelStore(tmp.resolve("store"), Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    private static ModelDraft accepted(Path file, String parent) {
        return new ModelDraft(file, parent, Map.of("train_images", 12), Map.of("heldout_identities.auc", 0.9), "accepted", "not worse");
    }

    private static byte[] object(String key) {
        return reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static Optional<TopicSnapshot> topic(String name) {
        return TopicReads.snapshot(broker.clientConfig(), name, Duration.ofSeconds(20), (k, v) -> true);
    }

    @Test
    void aPublishedModelIsInTheBucketWithItsBytesAndTheEventNamesTheObject() throws Exception {
        broker.createTopics(Map.of("models-s3", 1));
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 2f);
        ModelEvent sent;
        try (S3ModelUpload upload = upload();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
            sent = new ModelPublisher(store(1000), producer, "models-s3", 10_000, upload).publish(accepted(trained, "87aacdfe5751"));
        }

        String key = "fleet/models/" + sent.modelVersion() + ".onnx";
        assertEquals("s3://" + BUCKET + "/" + key, sent.location());
        ModelEvent received = ModelEventCodec.decode(topic("models-s3").orElseThrow().latest().get(sent.modelVersion()));
        assertEquals(sent, received);
        // what an embedder fetches with its own client is the trained file, and matches the event's sha256
        byte[] fetched = object(key);
        assertArrayEquals(Files.readAllBytes(trained), fetched);
        assertEquals(received.sha256(), Sha256.hex(fetched));
        assertEquals(received.sha256(), reader.headObject(b -> b.bucket(BUCKET).key(key)).metadata().get("sha256"));
    }

    @Test
    void aModelThatCannotBeUploadedIsNotAnnouncedAndStaysInTheStore() throws Exception {
        broker.createTopics(Map.of("models-s3-refused", 1));
        FileModelStore store = store(1000);
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 3f);
        for (S3PublishConfig refused : List.of(config("no-such-bucket", S3ProxyServer.SECRET_KEY), config(BUCKET, "a-wrong-secret"))) {
            PublishException e;
            try (S3ModelUpload upload = S3ModelUpload.open(refused);
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(broker.clientConfig()))) {
                e = assertThrows(PublishException.class,
                        () -> new ModelPublisher(store, producer, "models-s3-refused", 10_000, upload).publish(accepted(trained, null)));
            }
            assertTrue(e.getMessage().contains("s3://" + refused.bucket() + "/fleet/models/"), e.getMessage());
            assertFalse(e.getMessage().contains("a-wrong-secret"), e.getMessage());
        }
        String version = Sha256.modelId(trained);
        assertEquals(Sha256.hex(trained), store.get(version).metadata().sha256(), "the model stays in the store");
        assertTrue(topic("models-s3-refused").map(s -> s.latest().isEmpty()).orElse(true), "no event names a missing object");
        assertThrows(NoSuchKeyException.class, () -> object("fleet/models/" + version + ".onnx"));
    }

    @Test
    void aModelLeftUnannouncedIsUploadedAndAnnouncedByTheReconciliation() throws Exception {
        broker.createTopics(Map.of("models-s3-crash", 1));
        Path trained = TinyOnnx.write(tmp.resolve("trained.onnx"), 4f);
        // the process stopped after storing the model, during its upload: the bucket holds a part of the file, no event was sent
        String version = store(2000).put(accepted(trained, null)).version();
        String key = "fleet/models/" + version + ".onnx";
        reader.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[] {8, 7, 6}));

        PublicationReconciler.Outcome outcome;
        try (S3ModelUpload upload = upload()) {
            outcome = new PublicationReconciler(store(0), broker.clientConfig(), "models-s3-crash", Duration.ofSeconds(20), upload).reconcile();
        }

        assertEquals(List.of(version), outcome.announced());
        ModelEvent event = ModelEventCodec.decode(topic("models-s3-crash").orElseThrow().latest().get(version));
        assertEquals("s3://" + BUCKET + "/" + key, event.location());
        assertArrayEquals(Files.readAllBytes(trained), object(key), "the partial object was replaced by the file");
    }

    @Test
    void aFileChangedInTheStoreSinceItWasVerifiedIsNotUploaded() throws Exception {
        StoredModel stored = store(1000).put(accepted(TinyOnnx.write(tmp.resolve("trained.onnx"), 5f), null));
        Files.write(stored.onnxFile(), new byte[] {1, 2, 3});

        PublishException e;
        try (S3ModelUpload upload = upload()) {
            e = assertThrows(PublishException.class, () -> upload.deliver(stored));
        }
        assertTrue(e.getMessage().contains("changed in the store"), e.getMessage());
        assertThrows(NoSuchKeyException.class, () -> object("fleet/models/" + stored.version() + ".onnx"));
    }
}
