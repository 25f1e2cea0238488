package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.embedder.admin.ModelView;
import org.arcstream.embedder.admin.ModelsView;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.kafka.TopicSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hot swap of the embedding model on a real broker with real models: the LFW sample enrolled (5 images
 * per identity) under the default model; broken models refused; a model with slightly changed weights
 * published through a filesystem store and the models topic while frames stream; a roll back; a third
 * model that retires the oldest kept version. All through the admin API over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelHotSwapTest {

    private static final float THRESHOLD = 0.38f;
    private static final String USER = "operator";
    private static final String PASSWORD = "models-test-password";
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final long MAX_MODEL_BYTES = 16L * 1024 * 1024;

    private static Path work;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static KafkaEmbedderRuntime embedder;
    private static ModelSwitchboard switchboard;
    private static ApplicationContext context;
    private static HttpClient client;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> results;
    private static Path baseModel;
    private static String v1;
    private static final Map<String, List<Path>> streamed = new TreeMap<>();
    private static final Map<String, Integer> enrolledSamples = new TreeMap<>();
    private static final Map<Long, String> labels = new ConcurrentHashMap<>();
    private static long sequence;

    @BeforeAll
    static void start() throws Exception {
        Path lfwDir = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(lfwDir), "LFW sample not found at " + lfwDir);
        Map<String, List<Path>> lfw = Enroller.scan(lfwDir).stream().collect(Collectors.groupingBy(Enroller.GalleryImage::identity,
                TreeMap::new, Collectors.mapping(Enroller.GalleryImage::file, Collectors.toList())));
        work = Files.createTempDirectory("hotswap-it");
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        baseModel = config.embedding().file();
        pipelines = new FacePipelinePool(config);
        v1 = pipelines.modelVersion();
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Map.of(TOPICS.frames(), 2, TOPICS.matches(), 2, TOPICS.faces(), 2));
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, THRESHOLD)
                .withApplicationId("hotswap-it").withStateDir(work.resolve("state")), pipelines, new MatchThreshold(THRESHOLD),
                PipelineListener.NONE);
        assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());

        // the first five images of each identity in one request; an image showing two faces is rejected and streamed instead
        for (var e : lfw.entrySet()) {
            List<EnrollImage> first = new ArrayList<>();
            for (Path file : e.getValue().subList(0, 5)) {
                first.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
            }
            EnrollOutcome outcome = embedder.gallery().enroll(e.getKey(), e.getKey().replace('_', ' '), first, OptionalInt.empty());
            Set<String> rejected = outcome.rejected().stream().map(EnrollOutcome.Rejection::source).collect(Collectors.toSet());
            enrolledSamples.put(e.getKey(), outcome.acceptedSamples().size());
            streamed.put(e.getKey(), e.getValue().stream().filter(p -> e.getValue().indexOf(p) >= 5 || rejected.contains(p.toString())).toList());
        }
        await("gallery enrolled", () -> embedder.gallery().identities().size() == lfw.size()
                && embedder.gallery().identities().stream().allMatch(i -> i.samples() == enrolledSamples.get(i.id())));

        // the service's wiring: the switchboard is made from the configuration beside the running stream
        context = ApplicationContext.builder().environments("test")
                .properties(Map.of("micronaut.server.port", -1, "embedder.admin.username", USER, "embedder.admin.password", PASSWORD,
                        "embedder.kafka.bootstrap-servers", broker.bootstrapServers(),
                        "embedder.models.cache-dir", work.resolve("cache").toString(),
                        // models come from the test's store only, and none larger than 16 MB (the embedding model has 4.9 MB)
                        "embedder.models.download.trusted-dirs", work.resolve("store").toString(),
                        "embedder.models.download.max-bytes", MAX_MODEL_BYTES))
                .singletons(pipelines, embedder).start();
        switchboard = context.getBean(ModelSwitchboard.class);
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        client = HttpClient.create(server.getURL());

        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        results = consumer("results");
        results.subscribe(List.of(TOPICS.matches(), TOPICS.faces()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {client, context, results, producer, switchboard, embedder, pipelines, broker}) {
            if (c != null) {
                c.close();
            }
        }
        if (work != null) {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void brokenModelsAndLocationsOutsideTheAllowListsAreRefusedAndTheRunningModelStays() throws Exception {
        Path store = work.resolve("store");
        // a valid model, stored, then damaged in the store: its digest no longer matches the event
        ModelEvent corrupt = TestModels.store(store, TestModels.perturbed(baseModel, work.resolve("corrupt.onnx"), 7, 0.01), v1, Map.of());
        Path storedFile = Path.of(java.net.URI.create(corrupt.location()));
        byte[] bytes = Files.readAllBytes(storedFile);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(storedFile, bytes);
        publish(corrupt);
        ModelView refused = awaitVersion(corrupt.modelVersion(), v -> v.state().equals("REFUSED"));
        assertTrue(refused.reason().contains("sha256 mismatch"), refused.reason());

        // a real ONNX model, intact, but not an embedding model of 112x112 crops: the landmark model (N,1,64,64) -> (N,136)
        Path landmarks = DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).landmarks();
        ModelEvent wrongShape = TestModels.store(store, landmarks, v1, Map.of());
        publish(wrongShape);
        ModelView shape = awaitVersion(wrongShape.modelVersion(), v -> v.state().equals("REFUSED"));
        assertTrue(shape.reason().contains("must be (N, 3, 112, 112)"), shape.reason());

        // a valid model, but in a folder the embedder was not told to trust
        ModelEvent outside = TestModels.store(work.resolve("elsewhere"), TestModels.perturbed(baseModel, work.resolve("outside.onnx"), 8, 0.01),
                v1, Map.of());
        publish(outside);
        ModelView untrusted = awaitVersion(outside.modelVersion(), v -> v.state().equals("REFUSED"));
        assertTrue(untrusted.reason().contains("is outside the trusted model folders"), untrusted.reason());

        // the same kind of model announced on a host that is not configured: nothing is requested from it
        ModelEvent onOtherHost = ModelEvent.of("ab".repeat(32), v1, "http://models.example:8081/models/m.onnx",
                Map.of(), System.currentTimeMillis());
        publish(onOtherHost);
        ModelView unknownHost = awaitVersion(onOtherHost.modelVersion(), v -> v.state().equals("REFUSED"));
        assertTrue(unknownHost.reason().contains("which is not an allowed model host"), unknownHost.reason());

        // a file in the trusted store that is larger than the limit
        Path big = work.resolve("big.bin");
        Files.write(big, new byte[(int) MAX_MODEL_BYTES + 1]);
        ModelEvent oversized = TestModels.store(store, big, v1, Map.of());
        publish(oversized);
        ModelView tooLarge = awaitVersion(oversized.modelVersion(), v -> v.state().equals("REFUSED"));
        assertTrue(tooLarge.reason().contains("is larger than the limit"), tooLarge.reason());

        ModelsView view = models();
        assertEquals(v1, view.active());
        assertEquals(v1, pipelines.modelVersion());
        long seq = send(streamed.get("George_W_Bush").get(0), 0, "George_W_Bush");
        MatchRecord match = collect(Set.of(seq)).matches.get(seq + "/0").get(0);
        assertEquals(v1, match.modelVersion(), "frames are still embedded by the running model");
        assertEquals("George_W_Bush", match.identity());
    }

    @Test
    @Order(2)
    void aNewModelIsPromotedWhileFramesStreamAndEveryFrameIsMatchedOnceWithinItsVersion() throws Exception {
        Map<String, Double> metrics = Map.of("heldout_identities.auc", 0.997, "heldout_images.auc", 0.999);
        ModelEvent event = TestModels.store(work.resolve("store"), TestModels.perturbed(baseModel, work.resolve("v2.onnx"), 42, 0.02),
                v1, metrics);
        String v2 = event.modelVersion();

        List<Long> sentBeforeSwitch = new ArrayList<>();
        List<Long> sentAfterSwitch = new ArrayList<>();
        AtomicBoolean switched = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Map.Entry<String, Path>> images = streamed.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(p -> Map.entry(e.getKey(), p))).toList();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    var image = images.get(i % images.size());
                    boolean after = switched.get();
                    long seq = send(image.getValue(), i % 2, image.getKey());
                    (after ? sentAfterSwitch : sentBeforeSwitch).add(seq);
                    Thread.sleep(80);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "frame-sender");
        sender.start();
        Thread.sleep(500);
        publish(event);
        awaitVersion(v2, v -> v.active());
        switched.set(true);
        Thread.sleep(1500);
        stop.set(true);
        sender.join();

        List<Long> all = new ArrayList<>(sentBeforeSwitch);
        all.addAll(sentAfterSwitch);
        Results r = collect(Set.copyOf(all));
        r.assertOneMatchPerFace();
        Map<String, Integer> byVersion = new TreeMap<>();
        for (long seq : all) {
            MatchRecord best = r.matches.get(seq + "/0").get(0);
            assertEquals(labels.get(seq), best.identity(), "frame " + seq + " (" + best.modelVersion() + ")");
            byVersion.merge(best.modelVersion(), 1, Integer::sum);
        }
        for (long seq : sentAfterSwitch) {
            assertEquals(v2, r.matches.get(seq + "/0").get(0).modelVersion(), "frame " + seq + " was sent after the switch");
        }
        System.out.printf("frames streamed across the switch: %d, best faces by model version %s%n", all.size(), byVersion);
        assertTrue(byVersion.getOrDefault(v1, 0) > 0 && byVersion.getOrDefault(v2, 0) > 0,
                "the stream ran across the switch: " + byVersion + " of " + all.size() + " frames");

        Map<String, CentroidRecord> centroids = centroids();
        for (String identity : streamed.keySet()) {
            CentroidRecord old = centroids.get(identity + "/" + v1);
            CentroidRecord fresh = centroids.get(identity + "/" + v2);
            assertNotNull(fresh, identity + " has centroids of the new version");
            assertEquals((int) enrolledSamples.get(identity), fresh.sampleCount(), identity + ": every sample was re-embedded");
            assertNotNull(old, identity + " keeps the previous version's centroids for a roll back");
            assertTrue(cosine(old.centroids().get(0), fresh.centroids().get(0)) < 0.9999f, "the new weights give other embeddings");
        }
        // the matcher compared each face only with centroids of the face's own version
        for (var e : r.matches.entrySet()) {
            MatchRecord m = e.getValue().get(0);
            FaceEmbeddingRecord face = r.faces.get(e.getKey());
            assertEquals(face.modelVersion(), m.modelVersion(), "face and match of " + e.getKey());
            if (m.known()) {
                float expected = cosine(face.embedding(), centroids.get(m.identity() + "/" + m.modelVersion()).centroids().get(0));
                assertEquals(expected, m.score(), 1e-4f, "score of " + e.getKey() + " against its own version's centroid");
            }
        }

        ModelsView view = models();
        assertEquals(v2, view.active());
        assertEquals(v1, view.previous());
        ModelView promoted = view.versions().stream().filter(v -> v.version().equals(v2)).findFirst().orElseThrow();
        assertEquals("ACTIVE", promoted.state());
        assertEquals(metrics, promoted.metrics());
        assertEquals(512, promoted.dimension());
        assertEquals("PREVIOUS", view.versions().stream().filter(v -> v.version().equals(v1)).findFirst().orElseThrow().state());
    }

    @Test
    @Order(3)
    void rollBackReturnsToThePreviousVersion() throws Exception {
        String v2 = models().active();
        HttpResponse<ModelView> response = http().exchange(authed(HttpRequest.POST("/admin/models/rollback", "")), ModelView.class);
        assertEquals(HttpStatus.ACCEPTED, response.getStatus());
        awaitVersion(v1, ModelView::active);
        assertEquals(v2, models().previous());
        long seq = send(streamed.get("Colin_Powell").get(0), 1, "Colin_Powell");
        MatchRecord match = collect(Set.of(seq)).matches.get(seq + "/0").get(0);
        assertEquals(v1, match.modelVersion());
        assertEquals("Colin_Powell", match.identity());
    }

    @Test
    @Order(4)
    void aThirdModelRetiresTheOldestKeptVersion() throws Exception {
        String v2 = models().previous();
        ModelEvent event = TestModels.store(work.resolve("store"), TestModels.perturbed(baseModel, work.resolve("v3.onnx"), 3, 0.02),
                v1, Map.of());
        publish(event);
        String v3 = event.modelVersion();
        awaitVersion(v3, ModelView::active);
        assertEquals(v1, models().previous());
        // kept: the active version and the one it replaced; v2's embeddings and centroids are gone
        await("v2 retired from the gallery", () -> {
            Map<String, CentroidRecord> c = centroids();
            return c.keySet().stream().noneMatch(k -> k.endsWith("/" + v2))
                    && streamed.keySet().stream().allMatch(id -> c.containsKey(id + "/" + v1) && c.containsKey(id + "/" + v3));
        });
        for (EnrollmentRecord sample : enrollment().values()) {
            assertEquals(Set.of(v1, v3), sample.embeddings().keySet(), sample.identityId() + "/" + sample.source());
        }
        assertEquals("RETIRED", models().versions().stream().filter(v -> v.version().equals(v2)).findFirst().orElseThrow().state());
    }

    @Test
    @Order(5)
    void theModelEndpointsNeedCredentialsAndKnowTheirVersions() {
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(HttpRequest.GET("/admin/models")));
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(HttpRequest.POST("/admin/models/rollback", "")));
        assertEquals(HttpStatus.NOT_FOUND, statusOf(authed(HttpRequest.POST("/admin/models/0123456789ab/promote", ""))));
        assertEquals(HttpStatus.CONFLICT, statusOf(authed(HttpRequest.POST("/admin/models/" + models().active() + "/promote", ""))));
    }

    // ---- helpers ----

    private static BlockingHttpClient http() {
        return client.toBlocking();
    }

    private static <T> MutableHttpRequest<T> authed(MutableHttpRequest<T> request) {
        return request.basicAuth(USER, PASSWORD);
    }

    private static HttpStatus statusOf(HttpRequest<?> request) {
        try {
            return http().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    private static ModelsView models() {
        return http().retrieve(authed(HttpRequest.GET("/admin/models")), ModelsView.class);
    }

    private static ModelView awaitVersion(String version, Predicate<ModelView> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            ModelView found = models().versions().stream().filter(v -> v.version().equals(version)).findFirst().orElse(null);
            if (found != null && condition.test(found)) {
                return found;
            }
            assertTrue(System.currentTimeMillis() < deadline, "model " + version + " did not reach the expected state: " + found);
            Thread.sleep(100);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, what);
            Thread.sleep(100);
        }
    }

    private static void publish(ModelEvent event) throws Exception {
        producer.send(new ProducerRecord<>("models", event.modelVersion(), ModelEventCodec.encode(event))).get();
    }

    private static synchronized long send(Path image, int partition, String label) throws Exception {
        long seq = sequence++;
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "cam-" + partition);
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(seq));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
        labels.put(seq, label);
        producer.send(new ProducerRecord<>(TOPICS.frames(), partition, "cam-" + partition, Files.readAllBytes(image), headers)).get();
        return seq;
    }

    /** Matches and face records of the given frames, keyed {@code sequence/face}; waits for every frame's best face, then 1 s more for duplicates. */
    private static Results collect(Set<Long> frames) {
        Results r = new Results();
        long deadline = System.currentTimeMillis() + 90_000;
        long quietUntil = Long.MAX_VALUE;
        while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
            for (ConsumerRecord<String, byte[]> rec : results.poll(Duration.ofMillis(200))) {
                if (rec.topic().equals(TOPICS.matches())) {
                    MatchRecord m = MatchCodec.decode(rec.value());
                    if (frames.contains(m.sequence())) {
                        r.matches.computeIfAbsent(m.sequence() + "/" + m.face(), k -> new ArrayList<>()).add(m);
                    }
                } else {
                    FaceEmbeddingRecord f = FaceEmbeddingCodec.decode(rec.value());
                    if (frames.contains(f.frame().sequence())) {
                        r.faces.put(f.frame().sequence() + "/" + f.faceIndex(), f);
                    }
                }
            }
            if (quietUntil == Long.MAX_VALUE && frames.stream().allMatch(s -> r.matches.containsKey(s + "/0"))) {
                quietUntil = System.currentTimeMillis() + 1000;
            }
        }
        assertTrue(frames.stream().allMatch(s -> r.matches.containsKey(s + "/0")), "every frame was matched");
        return r;
    }

    private static final class Results {
        final Map<String, List<MatchRecord>> matches = new HashMap<>();
        final Map<String, FaceEmbeddingRecord> faces = new HashMap<>();

        void assertOneMatchPerFace() {
            matches.forEach((face, list) -> assertEquals(1, list.size(), "matches of face " + face));
            assertEquals(faces.keySet(), matches.keySet(), "every embedded face has its match");
        }
    }

    private static Map<String, CentroidRecord> centroids() {
        Map<String, CentroidRecord> out = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer(null)) {
            TopicSnapshot.read(c, TOPICS.centroids(), Duration.ofSeconds(30)).latest().forEach((k, v) -> out.put(k, CentroidCodec.decode(v)));
        }
        return out;
    }

    private static Map<String, EnrollmentRecord> enrollment() {
        Map<String, EnrollmentRecord> out = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer(null)) {
            TopicSnapshot.read(c, TOPICS.enrollment(), Duration.ofSeconds(30)).latest().forEach((k, v) -> out.put(k, EnrollmentCodec.decode(v)));
        }
        return out;
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static float cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return (float) (dot / Math.sqrt(na * nb));
    }
}
