package org.arcstream.demo.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.broker.StandaloneBroker;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.fetch.CacheRoot;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.ingest.IngestTestData;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The pipeline as a cluster runs it, every part a JVM of its own: a standalone broker, two embedders, the
 * trainer service and the ingest service, each with the environment its Deployment in deploy/k8s/base gives it
 * and the JVM flags of its image. The LFW sample is enrolled (5 images per person) with {@code arcstream enroll},
 * the other images stream as camera frames, an administrator starts a training run, and once both embedders
 * have downloaded the published model from the trainer (over HTTP, as the model reader of the shipped Secret), the
 * frames stream again: every frame must get exactly one match naming its person, once, from the model that was in use.
 *
 * <p>What differs from the manifests is listed in {@link #LOCAL}: paths (volumes), ports, the addresses of the broker
 * and of the trainer (its process instead of its Service), and plaintext Kafka (the shipped SASL_SSL client settings
 * are left out: the secured path is what {@code DemoSecurityTest} covers). Training is cut short through the
 * trainer's own settings ({@link #SHORT_RUN}).
 */
class SeparateProcessesTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final int ENROLL_PER_IDENTITY = 5;
    private static final ModelDelivery DELIVERY = ModelDelivery.HTTP;

    /**
     * Keys of the shipped Deployments whose value this machine must change: volumes become folders of the run,
     * ports any free one, the trainer's Service its process's address. The test checks that each is in the
     * manifests, so that none is invented here.
     */
    private static final Set<String> LOCAL = Set.of("MICRONAUT_SERVER_PORT", "ARCSTREAM_MODELS_DIR", "EMBEDDER_KAFKA_STATE_DIR",
            "TRAINER_STORE_DIR", "DJL_CACHE_DIR", "MICRONAUT_CONFIG_FILES", "TRAINER_PUBLISH_BASE_URL", "EMBEDDER_MODELS_DOWNLOAD_HTTP_HOSTS",
            // a nightly run at 03:00 would meet the test's run; an empty schedule is the documented way to turn it off
            "TRAINER_SCHEDULE_CRON");

    /**
     * A run of seconds, not minutes: one epoch over the enrolled crops, the last two weight tensors, a small step;
     * and a gate that lets the model through unless it is clearly worse (on 50 crops a single pair moves TAR at FAR
     * 1% by more than the shipped tolerance). The model's worth is then checked where it counts: every frame after
     * the switch must be matched correctly.
     */
    private static final Map<String, String> SHORT_RUN = Map.of(
            "TRAINER_TRAINING_EPOCHS", "1",
            "TRAINER_TRAINING_BATCH_SIZE", "16",
            "TRAINER_TRAINING_LEARNING_RATE", "0.001",
            "TRAINER_TRAINING_TRAIN_LAST_INITIALIZERS", "2",
            "TRAINER_GATE_AUC_TOLERANCE", "0.05",
            "TRAINER_GATE_TAR_TOLERANCE", "0.2");

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String adminPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final String modelReaderPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void bothEmbeddersSwitchToTheTrainedModelAndEveryFrameGetsOneCorrectMatch() throws Exception {
        Path lfw = IngestTestData.lfw10();
        Path dir = Files.createDirectories(Path.of("target", "separate-processes",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        for (String module : List.of("ingest", "embedder", "trainer")) {
            PackagedService.classPath(REPOSITORY, module); // before anything starts: fails at once when not packaged
        }
        Map<String, List<Path>> rest = writeGallery(lfw, dir.resolve("enroll"));
        Manifests manifests = Manifests.read(REPOSITORY);
        Path store = dir.resolve("trainer-store");
        List<ServiceProcess> processes = new ArrayList<>();
        try {
            ServiceProcess broker = start(processes, "org.arcstream.broker.StandaloneBroker", List.of("--data-dir", dir.resolve("broker").toString(),
                    "--address-file", dir.resolve("broker-address").toString(), "--broker-setting",
                    // as deploy/strimzi/kafka.yaml ships it (see DrillRun)
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms=" + DrillRun.ABORT_CHECK_INTERVAL_MS),
                    brokerEnvironment(dir), dir.resolve("broker.log"));
            broker.awaitOutput(StandaloneBroker.LISTENING, START_TIMEOUT);
            String bootstrap = Files.readString(dir.resolve("broker-address")).trim();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                ShippedTopics.create(admin);
            }
            Map<String, Map<String, String>> cluster = Map.of(
                    "arcstream-kafka", Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
                    "arcstream-kafka-client", Map.of());
            // the Secrets as an operator completes them: the shipped keys, and the passwords the manifests leave out
            Map<String, String> secrets = new HashMap<>(manifests.secret("admin-secret.yaml", "arcstream-admin"));
            secrets.put("arcstream-admin/password", adminPassword);
            secrets.putAll(manifests.secret("model-reader-secret.yaml", "arcstream-model-reader"));
            secrets.put("arcstream-model-reader/password", modelReaderPassword);
            // known before anything starts: the embedders are told it as the one host they may download from
            int trainerPort = freePort();
            URI trainerUrl = URI.create("http://127.0.0.1:" + trainerPort);

            List<ServiceProcess> embedders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Map<String, String> env = manifests.environment("embedder", "embedder", cluster, secrets);
                local(env, "MICRONAUT_SERVER_PORT", "-1");
                local(env, "ARCSTREAM_MODELS_DIR", DefaultFaceModels.defaultCacheDir().toString());
                local(env, "EMBEDDER_KAFKA_STATE_DIR", dir.resolve("embedder-" + i + "-streams").toString());
                env.put("EMBEDDER_MODELS_CACHE_DIR", dir.resolve("embedder-" + i + "-models").toString());
                DELIVERY.embedderEnvironment(trainerUrl).forEach((k, v) -> local(env, k, v));
                env.put("JDK_JAVA_OPTIONS", String.join(" ", manifests.imageJvmFlags("embedder")));
                embedders.add(start(processes, "embedder", "org.arcstream.embedder.EmbedderApplication", List.of(), env,
                        dir.resolve("embedder-" + i + ".log")));
            }
            Map<String, String> trainerEnv = manifests.environment("trainer", "trainer", cluster, secrets);
            local(trainerEnv, "MICRONAUT_SERVER_PORT", String.valueOf(trainerPort));
            local(trainerEnv, "ARCSTREAM_MODELS_DIR", DefaultFaceModels.defaultCacheDir().toString());
            // libtorch unpacks once (432 MB) into the cache the trainer's own tests use
            local(trainerEnv, "DJL_CACHE_DIR", CacheRoot.dir().resolve("djl").toString());
            local(trainerEnv, "TRAINER_SCHEDULE_CRON", "");
            DELIVERY.trainerEnvironment(store, trainerUrl).forEach((k, v) -> local(trainerEnv, k, v));
            trainerEnv.putAll(SHORT_RUN);
            trainerEnv.put("JDK_JAVA_OPTIONS", String.join(" ", manifests.imageJvmFlags("trainer")));
            ServiceProcess trainer = start(processes, "trainer", "org.arcstream.trainer.TrainerApplication", List.of(), trainerEnv,
                    dir.resolve("trainer.log"));

            for (ServiceProcess embedder : embedders) {
                awaitReady(embedder);
            }
            trainer.awaitOutput("Startup completed", START_TIMEOUT);

            // arcstream enroll, as an operator runs it: returns once every embedder's matching has the samples
            ServiceProcess enroll = start(processes, "embedder", "org.arcstream.embedder.gallery.EnrollCommand",
                    List.of("--gallery", dir.resolve("enroll").toString(), "--bootstrap-servers", bootstrap),
                    Map.of("ARCSTREAM_MODELS_DIR", DefaultFaceModels.defaultCacheDir().toString()), dir.resolve("enroll.log"));
            assertEquals(0, enroll.waitFor(600), "enroll failed; see " + enroll.log());
            Map<String, List<Path>> streamed = writeStream(rest, refused(enroll), dir.resolve("stream"));

            String initial = activeModel(embedders.get(0));
            assertEquals(initial, activeModel(embedders.get(1)), "the embedders start on different models");
            List<String> before = stream(manifests, cluster, secrets, dir, "before", streamed, initial, processes);
            assertEquals(List.of(), before, "before training");

            String published = train(trainer);
            assertFalse(published.equals(initial), "the run published the model the embedders already use");
            String location = DELIVERY.location(published, trainerUrl);
            for (ServiceProcess embedder : embedders) {
                awaitActiveModel(embedder, published, location);
            }
            // the file is the model reader's to fetch, nobody else's
            HttpResponse<Void> anonymous = http.send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(401, anonymous.statusCode(), "the trainer served " + location + " without credentials");

            List<String> after = stream(manifests, cluster, secrets, dir, "after", streamed, published, processes);
            assertEquals(List.of(), after, "after the switch to " + published);
            for (ServiceProcess process : List.of(broker, embedders.get(0), embedders.get(1), trainer)) {
                assertTrue(process.alive(), "a service stopped during the test; see " + process.log());
            }
        } finally {
            // the reverse of the start order: the broker goes last, so that the services leave cleanly
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
        }
    }

    /**
     * Writes the first {@link #ENROLL_PER_IDENTITY} images of each person into a gallery to enroll; returns the
     * others by person.
     */
    private static Map<String, List<Path>> writeGallery(Path lfw, Path gallery) throws IOException {
        Map<String, List<Path>> rest = new TreeMap<>();
        try (Stream<Path> people = Files.list(lfw)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                List<Path> images = ImageFiles.expand(List.of(person)).stream().sorted().toList();
                String identity = person.getFileName().toString();
                for (int i = 0; i < images.size(); i++) {
                    if (i < ENROLL_PER_IDENTITY) {
                        Path target = Files.createDirectories(gallery.resolve(identity)).resolve(images.get(i).getFileName());
                        Files.copy(images.get(i), target);
                    } else {
                        rest.computeIfAbsent(identity, k -> new ArrayList<>()).add(images.get(i));
                    }
                }
            }
        }
        assertEquals(10, rest.size(), "identities of the LFW sample");
        return rest;
    }

    /** The gallery images enroll refused ("not enrolled: FILE: reason"), e.g. those showing several faces. */
    private static List<Path> refused(ServiceProcess enroll) throws IOException {
        List<Path> refused = new ArrayList<>();
        for (String line : enroll.output()) {
            if (line.startsWith("not enrolled: ")) {
                String rest = line.substring("not enrolled: ".length());
                refused.add(Path.of(rest.substring(0, rest.indexOf(": "))));
            }
        }
        return refused;
    }

    /**
     * Writes a folder per person of the images to stream: those not in the gallery and those enroll refused (a
     * frame with several faces, of which one must be matched to the person); returns them by person.
     */
    private static Map<String, List<Path>> writeStream(Map<String, List<Path>> rest, List<Path> refused, Path stream) throws IOException {
        Map<String, List<Path>> streamed = new TreeMap<>();
        Map<String, List<Path>> sources = new TreeMap<>();
        rest.forEach((identity, files) -> sources.put(identity, new ArrayList<>(files)));
        refused.forEach(file -> sources.get(file.getParent().getFileName().toString()).add(file));
        for (Map.Entry<String, List<Path>> person : sources.entrySet()) {
            for (Path source : person.getValue()) {
                Path target = Files.createDirectories(stream.resolve(person.getKey())).resolve(source.getFileName());
                Files.copy(source, target);
                streamed.computeIfAbsent(person.getKey(), k -> new ArrayList<>()).add(target);
            }
        }
        return streamed;
    }

    /**
     * Streams every person's images once as a camera of its own through a fresh ingest service and returns what
     * is wrong with the verdicts: each frame must have its faces' matches exactly once, exactly one of them naming
     * the frame's person and none another enrolled person, all from {@code model}, and no dead letter.
     */
    private List<String> stream(Manifests manifests, Map<String, Map<String, String>> cluster, Map<String, String> secrets, Path dir,
            String phase, Map<String, List<Path>> streamed, String model, List<ServiceProcess> processes) throws Exception {
        Map<String, String> labelByCamera = new LinkedHashMap<>();
        StringBuilder cameras = new StringBuilder("ingest:\n  cameras:\n");
        for (String identity : streamed.keySet()) {
            String camera = phase + "-" + identity.toLowerCase().replace('_', '-');
            labelByCamera.put(camera, identity);
            Path folder = streamed.get(identity).get(0).getParent();
            cameras.append("    ").append(camera).append(":\n      source: \"").append(folder).append("\"\n");
        }
        Path camerasFile = dir.resolve("cameras-" + phase + ".yml");
        Files.writeString(camerasFile, cameras.toString());
        Map<String, String> env = manifests.environment("ingest", "ingest", cluster, secrets);
        local(env, "MICRONAUT_SERVER_PORT", "-1");
        local(env, "MICRONAUT_CONFIG_FILES", camerasFile.toString());
        env.put("JDK_JAVA_OPTIONS", String.join(" ", manifests.imageJvmFlags("ingest")));

        List<String> problems = new ArrayList<>();
        Map<String, Long> sent = new TreeMap<>();
        Map<String, Map<Integer, List<MatchRecord>>> byFrame = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> reader = reader(cluster.get("arcstream-kafka").get("KAFKA_BOOTSTRAP_SERVERS"), phase);
                ServiceProcess ingest = start(processes, "ingest", "org.arcstream.ingest.IngestApplication", List.of(), env,
                        dir.resolve("ingest-" + phase + ".log"))) {
            ingest.awaitOutput("Startup completed", START_TIMEOUT);
            JsonNode status = awaitCamerasFinished(ingest, labelByCamera.keySet());
            for (JsonNode camera : status) {
                String id = camera.get("camera").asText();
                sent.put(id, camera.get("sent").asLong());
                int files = streamed.get(labelByCamera.get(id)).size();
                if (!"finished".equals(camera.get("state").asText()) || camera.get("sent").asLong() != files) {
                    problems.add(id + ": ingest " + camera + ", expected " + files + " frames sent");
                }
            }
            long frames = sent.values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
            while (framesWithVerdict(byFrame) < frames && System.currentTimeMillis() < deadline) {
                poll(reader, labelByCamera.keySet(), byFrame, problems);
            }
            // a little longer, so that a duplicate arriving after the last verdict is seen
            long settle = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < settle) {
                poll(reader, labelByCamera.keySet(), byFrame, problems);
            }
        }
        Set<String> enrolled = Set.copyOf(labelByCamera.values());
        for (Map.Entry<String, Long> camera : sent.entrySet()) {
            String label = labelByCamera.get(camera.getKey());
            for (long sequence = 0; sequence < camera.getValue(); sequence++) {
                String frame = camera.getKey() + "/" + sequence;
                List<MatchRecord> matches = byFrame.getOrDefault(camera.getKey(), Map.of()).getOrDefault((int) sequence, List.of());
                problems.addAll(frameProblems(frame, label, enrolled, model, matches));
            }
        }
        return problems;
    }

    /** What is wrong with one frame's matches. */
    static List<String> frameProblems(String frame, String label, Set<String> enrolled, String model, List<MatchRecord> matches) {
        List<String> problems = new ArrayList<>();
        if (matches.isEmpty()) {
            return List.of(frame + ": no match");
        }
        Map<Integer, Integer> perFace = new TreeMap<>();
        matches.forEach(m -> perFace.merge(m.face(), 1, Integer::sum));
        perFace.forEach((face, n) -> {
            if (n != 1) {
                problems.add(frame + ": face " + face + " matched " + n + " times");
            }
        });
        if (!perFace.keySet().equals(new java.util.TreeSet<>(java.util.stream.IntStream.range(0, perFace.size()).boxed().toList()))) {
            problems.add(frame + ": faces " + perFace.keySet() + " are not 0.." + (perFace.size() - 1));
        }
        long correct = matches.stream().map(MatchRecord::face).distinct()
                .filter(face -> matches.stream().anyMatch(m -> m.face() == face && label.equals(m.identity()))).count();
        if (correct != 1) {
            problems.add(frame + ": " + correct + " faces matched to " + label + " (expected 1): " + describe(matches));
        }
        matches.stream().filter(m -> m.known() && !label.equals(m.identity()) && enrolled.contains(m.identity()))
                .forEach(m -> problems.add(frame + ": face " + m.face() + " matched to another person, " + m.identity()));
        matches.stream().filter(m -> !model.equals(m.modelVersion()))
                .forEach(m -> problems.add(frame + ": face " + m.face() + " embedded by model " + m.modelVersion() + ", not " + model));
        return problems;
    }

    private static String describe(List<MatchRecord> matches) {
        return matches.stream().map(m -> m.face() + "=" + m.identity() + String.format("(%.2f)", m.score())).toList().toString();
    }

    private static int framesWithVerdict(Map<String, Map<Integer, List<MatchRecord>>> byFrame) {
        return byFrame.values().stream().mapToInt(Map::size).sum();
    }

    private static void poll(KafkaConsumer<String, byte[]> reader, Set<String> cameras, Map<String, Map<Integer, List<MatchRecord>>> byFrame,
            List<String> problems) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            if (r.topic().equals("dead-letter")) {
                String camera = FrameRecordHeaders.string(r.headers(), FrameHeaders.CAMERA);
                if (cameras.contains(camera)) {
                    problems.add(camera + "/" + FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1) + ": dead-lettered");
                }
                continue;
            }
            MatchRecord m = MatchCodec.decode(r.value());
            if (cameras.contains(m.camera())) {
                byFrame.computeIfAbsent(m.camera(), k -> new TreeMap<>()).computeIfAbsent((int) m.sequence(), k -> new ArrayList<>()).add(m);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> reader(String bootstrap, String phase) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "separate-processes-" + phase,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("matches", "dead-letter"));
        return consumer;
    }

    /** GET /cameras until every camera is no longer starting or running; fails after the timeout. */
    private JsonNode awaitCamerasFinished(ServiceProcess ingest, Set<String> cameras) throws Exception {
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
        while (true) {
            HttpResponse<String> response = get(ingest, "/cameras", null);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode status = JSON.readTree(response.body());
            Map<String, String> states = new TreeMap<>();
            status.forEach(c -> states.put(c.get("camera").asText(), c.get("state").asText()));
            assertEquals(new java.util.TreeSet<>(cameras), states.keySet(), "the ingest service's cameras");
            if (states.values().stream().noneMatch(s -> s.equals("starting") || s.equals("running"))) {
                return status;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the cameras did not finish within 5 minutes: " + status + "; see " + ingest.log());
            }
            Thread.sleep(500);
        }
    }

    /** Starts a run as an administrator does, waits for its end and returns the version it published. */
    private String train(ServiceProcess trainer) throws Exception {
        HttpResponse<String> started = send(trainer, HttpRequest.newBuilder(uri(trainer, "/admin/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()), adminPassword);
        assertEquals(202, started.statusCode(), started.body());
        String id = JSON.readTree(started.body()).get("id").asText();
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(15).toMillis();
        JsonNode run;
        while (true) {
            HttpResponse<String> response = get(trainer, "/admin/runs/" + id, adminPassword);
            assertEquals(200, response.statusCode(), response.body());
            run = JSON.readTree(response.body());
            String state = run.get("state").asText();
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the training run did not end within 15 minutes: " + run + "; see " + trainer.log());
            }
            Thread.sleep(1_000);
        }
        assertEquals("SUCCEEDED", run.get("state").asText(), run.toString());
        JsonNode gate = run.path("report").path("gate");
        assertTrue(gate.path("accepted").asBoolean(), "the gate rejected the model: " + gate);
        String published = run.path("report").path("published_version").asText(null);
        assertNotNull(published, "the run published nothing: " + run);
        HttpResponse<String> models = get(trainer, "/admin/models", adminPassword);
        assertEquals(200, models.statusCode(), models.body());
        assertTrue(models.body().contains(published), models.body());
        return published;
    }

    /** Waits until the embedder's GET /admin/models names {@code version} active, and checks it came from {@code location}. */
    private void awaitActiveModel(ServiceProcess embedder, String version, String location) throws Exception {
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
        JsonNode models = models(embedder);
        while (!version.equals(models.path("active").asText())) {
            // a refusal is final: the embedder will not fetch the version again
            for (JsonNode v : models.path("versions")) {
                if (version.equals(v.path("version").asText()) && "REFUSED".equals(v.path("state").asText())) {
                    throw new AssertionError(embedder.log() + " refused " + version + ": " + v);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(embedder.log() + " did not switch to " + version + " within 5 minutes: " + models);
            }
            Thread.sleep(1_000);
            models = models(embedder);
        }
        JsonNode active = null;
        for (JsonNode v : models.path("versions")) {
            if (version.equals(v.path("version").asText())) {
                active = v;
            }
        }
        assertNotNull(active, "the embedder lists no version " + version + ": " + models);
        assertEquals("ACTIVE", active.path("state").asText(), active.toString());
        assertEquals(location, active.path("location").asText(), "delivered from elsewhere: " + active);
    }

    private String activeModel(ServiceProcess embedder) throws Exception {
        String active = models(embedder).path("active").asText(null);
        assertNotNull(active, "no active model at " + embedder.log());
        return active;
    }

    private JsonNode models(ServiceProcess embedder) throws Exception {
        HttpResponse<String> response = get(embedder, "/admin/models", adminPassword);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Waits for the service's start, then for GET /health/readiness to answer 200 (the stream runs, the gallery is restored). */
    private void awaitReady(ServiceProcess embedder) throws Exception {
        embedder.awaitOutput("Startup completed", START_TIMEOUT);
        long deadline = System.currentTimeMillis() + START_TIMEOUT.toMillis();
        while (get(embedder, "/health/readiness", null).statusCode() != 200) {
            if (!embedder.alive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("the embedder did not become ready; see " + embedder.log());
            }
            Thread.sleep(500);
        }
    }

    private HttpResponse<String> get(ServiceProcess service, String path, String password) throws Exception {
        return send(service, HttpRequest.newBuilder(uri(service, path)).GET(), password);
    }

    private HttpResponse<String> send(ServiceProcess service, HttpRequest.Builder request, String password) throws Exception {
        request.timeout(Duration.ofSeconds(60));
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ServiceProcess service, String path) throws IOException {
        return URI.create(service.serverUrl() + path);
    }

    /** Sets a key the manifests give a value that only works in a pod; fails for a key they do not have. */
    private static void local(Map<String, String> env, String key, String value) {
        assertTrue(LOCAL.contains(key), key + " is not among the keys this test may change");
        assertTrue(env.containsKey(key), "the manifests give no " + key + ": " + env.keySet());
        env.put(key, value);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The broker logs at INFO through the libraries' settings the services use (its class path has no logback.xml of theirs). */
    private static Map<String, String> brokerEnvironment(Path dir) throws IOException {
        Path config = dir.resolve("broker-logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <include resource="org/arcstream/kafka/logback-libraries.xml"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        return Map.of("JDK_JAVA_OPTIONS", "-Dlogback.configurationFile=" + config);
    }

    /** Starts the broker on this JVM's class path (it has no image). */
    private static ServiceProcess start(List<ServiceProcess> processes, String mainClass, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        ServiceProcess process = ServiceProcess.start(mainClass, args, new HashMap<>(env), log);
        processes.add(process);
        return process;
    }

    /** Starts a main class of a service module from its packaged jar and libraries, as its image runs it. */
    private static ServiceProcess start(List<ServiceProcess> processes, String module, String mainClass, List<String> args,
            Map<String, String> env, Path log) throws IOException {
        ServiceProcess process = ServiceProcess.start(PackagedService.classPath(REPOSITORY, module), mainClass, args, new HashMap<>(env), log);
        processes.add(process);
        return process;
    }
}
