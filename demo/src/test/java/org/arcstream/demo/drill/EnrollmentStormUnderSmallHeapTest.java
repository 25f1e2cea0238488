package org.arcstream.demo.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder service in a JVM of its own with a heap far too small to hold what 16 concurrent enrollment
 * requests upload ({@value #REQUESTS} requests of {@value #IMAGES_PER_REQUEST} images of 3.5 MB: about
 * 670 MB, against a {@value #HEAP} heap), while a camera streams frames. The upload budget
 * ({@code embedder.admin.enrollment-upload-budget}, 64 MB as shipped) and the bounded face-pipeline pool keep
 * what the requests hold in memory within the heap: no OutOfMemoryError, every request gets a definite answer
 * (201, a 4xx or a 503 with its reason), the service stays up and live, and every frame gets its verdict once.
 * With the budget set out of the way the same storm runs the service out of heap.
 */
class EnrollmentStormUnderSmallHeapTest {

    static final int REQUESTS = 16;
    static final int IMAGES_PER_REQUEST = 12;
    static final int IMAGE_BYTES = 3_500_000;
    static final String HEAP = "-Xmx384m";
    private static final int FRAMES = 40;

    @TempDir
    Path dir;

    @Test
    void sixteenConcurrentEnrollmentsWithLargeImagesLeaveTheServiceUpAndMatching() throws Exception {
        Path frames = dir.resolve("frames");
        DrillFrames.write(IngestTestData.lfw10(), frames, FRAMES, Map.of());
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), false, Map.of());
                Admin admin = broker.admin()) {
            ShippedTopics.create(admin);
            Map<String, String> env = new HashMap<>();
            env.put("EMBEDDER_ADMIN_PASSWORD", password);
            env.put("MICRONAUT_SERVER_PORT", "-1");
            env.put("EMBEDDER_KAFKA_STATE_DIR", dir.resolve("embedder-state").toString());
            // an OutOfMemoryError anywhere (also one a server thread would swallow) ends the process: it cannot pass unseen
            try (ServiceProcess embedder = ServiceProcess.start(List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"),
                    "org.arcstream.embedder.EmbedderApplication", List.of("--bootstrap-servers", broker.bootstrapServers()), env,
                    dir.resolve("embedder.log"))) {
                embedder.awaitOutput("Startup completed", Duration.ofMinutes(3));
                // frames stream while the requests run, and more frames of another camera come after them
                try (Verdicts during = new Verdicts(broker.bootstrapServers(), "during");
                        ServiceProcess ingest = ingest(broker.bootstrapServers(), "during", frames, dir.resolve("ingest-during.log"))) {
                    long deadline = System.currentTimeMillis() + 180_000;
                    while (during.framesWithVerdict() == 0 && System.currentTimeMillis() < deadline) {
                        during.poll(Duration.ofMillis(100));
                    }
                    Map<Integer, Integer> statuses = storm(embedder, password);
                    System.out.printf("%d enrollment requests with %s: answers by status %s%n", REQUESTS, HEAP, statuses);
                    assertTrue(embedder.alive(), "the embedder is running after the requests; see " + embedder.log());

                    assertEquals(0, ingest.waitFor(600), "ingest; see " + ingest.log());
                    during.awaitAll(FRAMES, Duration.ofMinutes(3));
                    DrillResult result = during.result("during", FRAMES, Set.of(), OptionalLong.empty());
                    assertEquals(FRAMES, result.matchedOnce(), "frames matched once while the requests ran: " + result);
                }
                try (Verdicts after = new Verdicts(broker.bootstrapServers(), "after");
                        ServiceProcess ingest = ingest(broker.bootstrapServers(), "after", frames, dir.resolve("ingest-after.log"))) {
                    assertEquals(0, ingest.waitFor(600), "ingest; see " + ingest.log());
                    after.awaitAll(FRAMES, Duration.ofMinutes(3));
                    DrillResult result = after.result("after", FRAMES, Set.of(), OptionalLong.empty());
                    assertEquals(FRAMES, result.matchedOnce(), "frames matched once after the requests: " + result);
                }
                assertTrue(embedder.alive(), "the embedder is running; see " + embedder.log());
                assertEquals(200, get(embedder.serverUrl() + "/health/liveness", null).statusCode(), "live");
                assertEquals(200, get(embedder.serverUrl() + "/health/readiness", null).statusCode(), "ready");
                assertFalse(embedder.output().stream().anyMatch(line -> line.contains("OutOfMemoryError")),
                        "no OutOfMemoryError; see " + embedder.log());
            }
        }
    }

    private static ServiceProcess ingest(String bootstrap, String camera, Path frames, Path log) throws Exception {
        return ServiceProcess.start("org.arcstream.ingest.IngestCommand", List.of("--bootstrap-servers", bootstrap, "--camera", camera,
                "--source", frames.toString(), "--fps", "4", "--json"), Map.of(), log);
    }

    /**
     * Sends the requests at once, each with its own identity and images of one LFW person (made large by padding
     * that decoders skip, so that their bytes cost no pixels); returns how many answers had each status. Fails
     * on an answer that is neither 201, a 4xx nor a 503 with a reason, and on a request that got no answer.
     */
    private static Map<Integer, Integer> storm(ServiceProcess embedder, String password) throws Exception {
        String url = embedder.serverUrl();
        // the LFW sample: 10 people of 10 images, in person order
        List<Path> people = IngestTestData.lfwImages(10, 10);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                // one person's images, taken again when the request wants more than there are
                int person = r % 10;
                List<List<byte[]>> images = new ArrayList<>();
                for (int i = 0; i < IMAGES_PER_REQUEST; i++) {
                    images.add(padded(Files.readAllBytes(people.get(person * 10 + i % 10))));
                }
                HttpRequest request = enrollment(url, password, "storm-" + r, images);
                answers.add(pool.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response;
                try {
                    response = answer.get(10, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    Thread.sleep(1_000); // time for the process to end, if it is ending
                    throw new AssertionError("a request got no answer (" + e.getCause() + "); the embedder is "
                            + (embedder.alive() ? "running" : "NOT running") + ", its last lines: "
                            + embedder.output().subList(Math.max(0, embedder.output().size() - 3), embedder.output().size()), e);
                }
                int status = response.statusCode();
                boolean definite = status == 201 || (status >= 400 && status < 500)
                        || (status == 503 && response.body().contains("retry later"));
                assertTrue(definite, "answer " + status + ": " + response.body());
                statuses.merge(status, 1, Integer::sum);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpRequest enrollment(String url, String password, String id, List<List<byte[]>> images) {
        String boundary = "storm" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        List<byte[]> body = new ArrayList<>();
        body.add(field(boundary, "id", id));
        body.add(field(boundary, "name", id));
        for (int i = 0; i < images.size(); i++) {
            body.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"" + i
                    + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.addAll(images.get(i));
            body.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url + "/admin/identities")).timeout(Duration.ofMinutes(5))
                .header("Authorization", basic(password)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(body)).build();
    }

    private static byte[] field(String boundary, String name, String value) {
        return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The JPEG in pieces: its start marker, {@link #PADDING}, the rest. The test's heap holds the padding once;
     * every request body refers to it.
     */
    static List<byte[]> padded(byte[] jpeg) {
        return List.of(Arrays.copyOfRange(jpeg, 0, 2), PADDING, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** About {@value #IMAGE_BYTES} bytes of empty APP15 segments, which decoders skip. */
    private static final byte[] PADDING = padding(IMAGE_BYTES);

    private static byte[] padding(int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 65_537);
        byte[] segment = new byte[65_533];
        while (out.size() < bytes) {
            out.write(0xFF);
            out.write(0xEF);
            int length = segment.length + 2;
            out.write(length >> 8);
            out.write(length & 0xFF);
            out.write(segment, 0, segment.length);
        }
        return out.toByteArray();
    }

    private static HttpResponse<String> get(String url, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (password != null) {
            request.header("Authorization", basic(password));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
