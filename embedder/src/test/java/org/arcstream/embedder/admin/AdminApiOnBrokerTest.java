package org.arcstream.embedder.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.embedder.stream.EmbedderRuntime;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder service end to end: the real stream on the in-process broker, the real face models, and
 * the admin API over HTTP. One broker and one service for the whole class.
 */
class AdminApiOnBrokerTest {

    private static final String USER = "admin";
    private static final String PASSWORD = "broker-test-password";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path stateDir;

    private static Path lfw;
    private static EmbeddedKafkaBroker broker;
    private static EmbeddedServer server;
    private static HttpClient client;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        lfw = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(lfw), "LFW sample not found at " + lfw);
        broker = EmbeddedKafkaBroker.start();
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "embedder.kafka.bootstrap-servers", broker.bootstrapServers(),
                "embedder.kafka.application-id", "admin-on-broker",
                "embedder.kafka.state-dir", stateDir.toString(),
                "embedder.admin.username", USER,
                "embedder.admin.password", PASSWORD,
                "embedder.stream.cameras", "gate-1",
                "embedder.admin.max-images-per-enrollment", 3,
                "embedder.admin.enrollment-upload-budget", "500KB",
                "micronaut.server.multipart.max-file-size", "200KB"));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        client = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        await("the stream to become ready", () -> status(HttpRequest.GET("/health/readiness")) == HttpStatus.OK);
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (client != null) {
            client.close();
        }
        // the service before the broker, so that the stream can commit and leave its group
        if (server != null) {
            EmbedderRuntime runtime = server.getApplicationContext().getBean(EmbedderRuntime.class);
            server.getApplicationContext().close();
            assertEquals("NOT_RUNNING", runtime.state(), "the stream is closed with the service");
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void enrollListGetAndDeleteIdentities() throws IOException {
        List<Path> colin = images("Colin_Powell", 1, 2, 3);
        EnrollResponse first = enroll("Colin_Powell", "Colin Powell", null, colin);
        assertEquals("Colin_Powell", first.identity());
        assertEquals(colin.size(), first.acceptedSamples().size() + first.rejected().size(), "every image is accounted for");
        assertFalse(first.acceptedSamples().isEmpty());
        first.rejected().forEach(r -> assertFalse(r.reason().isBlank(), "a rejection says why"));

        // face 0 picks the best face of every image, so none is rejected for showing several
        List<Path> tony = images("Tony_Blair", 1, 2);
        EnrollResponse second = enroll("Tony_Blair", "Tony Blair", 0, tony);
        assertEquals(tony.size(), second.acceptedSamples().size(), "rejected: " + second.rejected());

        await("both identities to be listed", () -> ids().containsAll(List.of("Colin_Powell", "Tony_Blair")));
        IdentityView colinView = get("Colin_Powell");
        assertEquals("Colin Powell", colinView.name());
        assertEquals(first.acceptedSamples().size(), colinView.samples());
        assertFalse(colinView.modelVersions().isEmpty(), "centroids exist for the running model");

        HttpResponse<?> deleted = http().exchange(authed(HttpRequest.DELETE("/admin/identities/Tony_Blair")));
        assertEquals(HttpStatus.NO_CONTENT, deleted.getStatus());
        await("the deleted identity to leave the list", () -> !ids().contains("Tony_Blair"));
        assertTrue(ids().contains("Colin_Powell"), "the other identity stays");
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET("/admin/identities/Tony_Blair"))));
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.DELETE("/admin/identities/Tony_Blair"))));
    }

    /**
     * An image the person already has (the same bytes; with face 0 it is the same face as without an index) is
     * reported as a duplicate of that sample, and nothing is written to the enrollment topic for it.
     */
    @Test
    void anImageEnrolledAgainIsADuplicateAndNothingIsWritten() throws Exception {
        List<Path> first = images("Gerhard_Schroeder", 1, 2);
        EnrollResponse enrolled = enroll("Gerhard_Schroeder", "Gerhard Schroeder", null, first);
        assertEquals(2, enrolled.acceptedSamples().size(), "rejected: " + enrolled.rejected());
        long endBefore = enrollmentEndOffset();

        MultipartBody.Builder again = MultipartBody.builder().addPart("id", "Gerhard_Schroeder").addPart("name", "Gerhard Schroeder")
                .addPart("face", "0");
        for (Path file : first) {
            again.addPart("images", "again-" + file.getFileName(), MediaType.IMAGE_JPEG_TYPE, Files.readAllBytes(file));
        }
        HttpResponse<EnrollResponse> response = http().exchange(enrollRequest(again.build()), EnrollResponse.class);
        assertEquals(HttpStatus.OK, response.getStatus(), "nothing new, and nothing wrong");
        EnrollResponse body = response.body();
        assertEquals(List.of(), body.acceptedSamples());
        assertEquals(List.of(), body.rejected());
        assertEquals(List.of(new EnrollResponse.Duplicate("again-Gerhard_Schroeder_0001.jpg", enrolled.acceptedSamples().get(0)),
                new EnrollResponse.Duplicate("again-Gerhard_Schroeder_0002.jpg", enrolled.acceptedSamples().get(1))), body.duplicates());
        String json = http().exchange(enrollRequest(again.build()), String.class).body();
        assertTrue(json.contains("\"duplicates\":[{\"image\":\"again-Gerhard_Schroeder_0001.jpg\",\"sample\":\""), json);
        assertEquals(endBefore, enrollmentEndOffset(), "no record written for a duplicate");
        assertEquals(2, get("Gerhard_Schroeder").samples());

        // a new image beside a duplicate: the new one is enrolled (201), the other still reported
        EnrollResponse mixed = enroll("Gerhard_Schroeder", "Gerhard Schroeder", null, images("Gerhard_Schroeder", 1, 3));
        assertEquals(1, mixed.acceptedSamples().size(), "rejected: " + mixed.rejected());
        assertEquals(List.of(new EnrollResponse.Duplicate("Gerhard_Schroeder_0001.jpg", enrolled.acceptedSamples().get(0))), mixed.duplicates());
    }

    /**
     * The console shows each sample's aligned crop, read back from the enrollment topic at the sample's
     * position: a PNG the browser revalidates (ETag), and 404 once the sample or the person is deleted.
     */
    @Test
    void aSamplesCropIsServedUntilTheSampleIsDeleted() throws Exception {
        EnrollResponse enrolled = enroll("Ariel_Sharon", "Ariel Sharon", 0, images("Ariel_Sharon", 1, 2));
        assertEquals(2, enrolled.acceptedSamples().size(), "rejected: " + enrolled.rejected());
        String base = "/console/api/identities/Ariel_Sharon/samples/";
        String samples = http().retrieve(authed(HttpRequest.GET(base)), String.class);
        assertEquals(2, samples.split("\"has_crop\":true", -1).length - 1, samples);

        String kept = enrolled.acceptedSamples().get(0), deleted = enrolled.acceptedSamples().get(1);
        HttpResponse<byte[]> crop = http().exchange(authed(HttpRequest.GET(base + kept + "/crop")), byte[].class);
        assertEquals(HttpStatus.OK, crop.getStatus());
        assertEquals("image/png", crop.getContentType().orElseThrow().toString());
        assertEquals("private, no-cache", crop.getHeaders().get("Cache-Control"));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(crop.body()));
        assertNotNull(png, "a PNG");
        assertTrue(png.getWidth() >= 64 && png.getWidth() == png.getHeight(), png.getWidth() + "x" + png.getHeight());
        String etag = crop.getHeaders().get("ETag");
        assertNotNull(etag);
        assertEquals(HttpStatus.NOT_MODIFIED, status(authed(HttpRequest.GET(base + kept + "/crop")).header("If-None-Match", etag)));

        assertEquals(HttpStatus.OK, status(authed(HttpRequest.GET(base + deleted + "/crop"))));
        assertEquals(HttpStatus.NO_CONTENT, http().exchange(authed(HttpRequest.DELETE(base + deleted))).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET(base + deleted + "/crop"))), "the deleted sample's crop");
        assertEquals(HttpStatus.OK, status(authed(HttpRequest.GET(base + kept + "/crop"))), "the other sample's crop stays");

        assertEquals(HttpStatus.NO_CONTENT, http().exchange(authed(HttpRequest.DELETE("/admin/identities/Ariel_Sharon"))).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET(base + kept + "/crop"))), "the deleted person's crop");
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET(base + kept + "/crop")).header("If-None-Match", etag)),
                "a browser's cached copy is not confirmed either");
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET(base + "nonsense/crop"))));
    }

    private static long enrollmentEndOffset() {
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            org.apache.kafka.common.TopicPartition p = new org.apache.kafka.common.TopicPartition("enrollment", 0);
            return consumer.endOffsets(List.of(p)).get(p);
        }
    }

    /** The service watches the models topic from its start: it reports the running model, and there is nothing to roll back to. */
    @Test
    void theServiceReportsItsModelAndRefusesARollbackWithoutAPreviousOne() {
        ModelsView models = http().retrieve(authed(HttpRequest.GET("/admin/models")), ModelsView.class);
        assertFalse(models.active() == null || models.active().isBlank(), "an active model version");
        assertNull(models.previous());
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http().exchange(authed(HttpRequest.POST("/admin/models/rollback", ""))));
        assertEquals(409, e.getStatus().getCode());
    }

    @Test
    void unknownIdentityIs404() {
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET("/admin/identities/nobody"))));
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.DELETE("/admin/identities/nobody"))));
    }

    @Test
    void unreadableImageIsRejectedWithItsReason() throws IOException {
        byte[] notAnImage = "this is not an image".getBytes();
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http().exchange(
                enrollRequest(MultipartBody.builder().addPart("id", "Nobody").addPart("name", "Nobody")
                        .addPart("images", "notes.jpg", MediaType.IMAGE_JPEG_TYPE, notAnImage).build()),
                EnrollResponse.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        EnrollResponse body = e.getResponse().getBody(EnrollResponse.class).orElseThrow();
        assertEquals(1, body.rejected().size());
        assertEquals("notes.jpg", body.rejected().get(0).image());
        assertFalse(body.rejected().get(0).reason().isBlank());
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET("/admin/identities/Nobody"))), "nothing enrolled");
    }

    @Test
    void malformedEnrollmentIs400() throws IOException {
        byte[] image = Files.readAllBytes(images("Hugo_Chavez", 1).get(0));
        List<MultipartBody> malformed = List.of(
                MultipartBody.builder().addPart("name", "No Id").addPart("images", "a.jpg", MediaType.IMAGE_JPEG_TYPE, image).build(),
                MultipartBody.builder().addPart("id", "has space").addPart("name", "Has Space")
                        .addPart("images", "a.jpg", MediaType.IMAGE_JPEG_TYPE, image).build(),
                MultipartBody.builder().addPart("id", "Hugo_Chavez").addPart("name", "Hugo Chavez").build(),
                MultipartBody.builder().addPart("id", "Hugo_Chavez").addPart("name", "Hugo Chavez").addPart("face", "first")
                        .addPart("images", "a.jpg", MediaType.IMAGE_JPEG_TYPE, image).build(),
                MultipartBody.builder().addPart("id", "Hugo_Chavez").addPart("name", "Hugo Chavez").addPart("role", "x")
                        .addPart("images", "a.jpg", MediaType.IMAGE_JPEG_TYPE, image).build(),
                MultipartBody.builder().addPart("id", "Hugo_Chavez").addPart("name", "Hugo Chavez")
                        .addPart("photo", "a.jpg", MediaType.IMAGE_JPEG_TYPE, image).build(),
                tooMany(image, 4));
        for (MultipartBody body : malformed) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> http().exchange(enrollRequest(body), String.class));
            assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
            assertTrue(e.getResponse().getBody(String.class).orElse("").contains("malformed enrollment: "), "the answer says what is wrong");
        }
        assertEquals(HttpStatus.UNSUPPORTED_MEDIA_TYPE, status(authed(HttpRequest.POST("/admin/identities", "{\"id\":\"x\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE))), "JSON instead of a form");
        assertEquals(HttpStatus.NOT_FOUND, status(authed(HttpRequest.GET("/admin/identities/Hugo_Chavez"))), "nothing enrolled");
    }

    private static MultipartBody tooMany(byte[] image, int count) {
        MultipartBody.Builder form = MultipartBody.builder().addPart("id", "Hugo_Chavez").addPart("name", "Hugo Chavez");
        for (int i = 0; i < count; i++) {
            form.addPart("images", i + ".jpg", MediaType.IMAGE_JPEG_TYPE, image);
        }
        return form.build();
    }

    @Test
    void theImageOneTooManyIsRefusedAsItArrivesNotAfterTheWholeBody() throws IOException {
        byte[] image = Files.readAllBytes(images("Hugo_Chavez", 1).get(0));
        try (StreamingUpload upload = new StreamingUpload(server.getURL(), USER, PASSWORD)) {
            upload.field("id", "Hugo_Chavez").field("name", "Hugo Chavez");
            for (int i = 0; i < 4; i++) {
                upload.image(i + ".jpg", image);
            }
            upload.imageStart("4.jpg"); // the next part's start completes the fourth
            // the body is not ended: a server that read it all before counting would never answer
            String response = upload.response();
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("more than 3 images"), response);
        }
    }

    @Test
    void anOversizedImageIsRefusedAsItArrivesNotAfterTheWholeBody() throws IOException {
        try (StreamingUpload upload = new StreamingUpload(server.getURL(), USER, PASSWORD)) {
            upload.field("id", "Big").field("name", "Big").imageStart("big.jpg");
            for (int i = 0; i < 5; i++) {
                upload.chunk(new byte[64 * 1024]); // 320 KB of an image, over the 200 KB limit, and no end
            }
            String response = upload.response();
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
        }
    }

    @Test
    void imagesBeyondTheUploadBudgetOfAllRequestsAre503UntilItIsFreeAgain() throws Exception {
        byte[] large = new byte[190 * 1024];
        // two unfinished requests of 380 KB each against a budget of 500 KB: whichever comes second is refused
        try (StreamingUpload a = new StreamingUpload(server.getURL(), USER, PASSWORD);
                StreamingUpload b = new StreamingUpload(server.getURL(), USER, PASSWORD)) {
            for (StreamingUpload upload : List.of(a, b)) {
                upload.field("id", "Holder").field("name", "Holder").image("a.jpg", large).image("b.jpg", large).imageStart("c.jpg");
            }
            String[] answer = new String[1];
            await("one of the requests to be answered", () -> {
                try {
                    String response = a.responseIfAny();
                    answer[0] = response != null ? response : b.responseIfAny();
                    return answer[0] != null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(answer[0].startsWith("HTTP/1.1 503"), answer[0]);
            assertTrue(answer[0].contains("retry later"), answer[0]);
        }
        // both gone (their clients hung up): the budget is free again
        await("the budget to be released", () -> {
            try (StreamingUpload other = new StreamingUpload(server.getURL(), USER, PASSWORD)) {
                String response = other.field("id", "Other").field("name", "Other").image("c.jpg", large).image("d.jpg", large)
                        .end().response();
                return response.startsWith("HTTP/1.1 422"); // read, decoded and refused: not an image
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aRequestThatDeclaresItsLengthHoldsItsShareOfTheBudgetFromTheStart() throws Exception {
        byte[] large = new byte[190 * 1024];
        byte[] body = StreamingUpload.form(Map.of("id", "Declared", "name", "Declared"),
                new java.util.LinkedHashMap<>(Map.of("a.jpg", large, "b.jpg", large)));
        int firstImage = body.length / 3;
        // two requests of about 380 KB each against a budget of 500 KB, their first images sent in turn: reserved image
        // by image, neither would be refused yet (and whichever sent its second image next would fail part-way)
        try (StreamingUpload one = new StreamingUpload(server.getURL(), USER, PASSWORD, body.length);
                StreamingUpload other = new StreamingUpload(server.getURL(), USER, PASSWORD, body.length)) {
            one.raw(body, 0, firstImage);
            other.raw(body, 0, firstImage);
            // the server may take up either request first: the later one is refused before it reads an image
            String[] refused = new String[2];
            await("one of the requests to be refused", () -> {
                try {
                    refused[0] = one.responseIfAny();
                    refused[1] = refused[0] == null ? other.responseIfAny() : null;
                    return refused[0] != null || refused[1] != null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String answer = refused[0] != null ? refused[0] : refused[1];
            assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
            StreamingUpload admitted = refused[0] != null ? other : one;
            String completed = admitted.raw(body, firstImage, body.length).response();
            assertTrue(completed.startsWith("HTTP/1.1 422"), completed); // read whole, decoded and refused: not an image
        }
    }

    @Test
    void oversizedImageIs413() {
        byte[] big = new byte[300 * 1024];
        assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, status(enrollRequest(MultipartBody.builder()
                .addPart("id", "Big").addPart("name", "Big")
                .addPart("images", "big.jpg", MediaType.IMAGE_JPEG_TYPE, big).build())));
    }

    @Test
    void readinessAndConsumerLagReflectTheRunningStream() {
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/health/readiness")), "no credentials needed");
        String health = http().retrieve(authed(HttpRequest.GET("/health")), String.class);
        assertTrue(health.contains("RUNNING"), health);
        await("the consumer lag to be measured", () -> {
            String text = http().retrieve(authed(HttpRequest.GET("/prometheus")), String.class);
            return text.lines().anyMatch(l -> l.startsWith("arcstream_consumer_records_lag_max{application=\"admin-on-broker\"}")
                    && !l.endsWith("NaN"));
        });
    }

    @Test
    void streamedFramesShowInRecentMatchesCountersAndMetricsAndFollowTheThreshold() throws Exception {
        enroll("Jacques_Chirac", "Jacques Chirac", 0, images("Jacques_Chirac", 1, 2, 3));
        await("the identity to be listed", () -> ids().contains("Jacques_Chirac"));
        PipelineCounters before = counters();

        sendFrame("gate-1", 1, images("Jacques_Chirac", 5).get(0));
        producer.send(new ProducerRecord<>("frames", "gate-1", "not an image".getBytes())).get();
        await("the frame's matches and the dead letter to be counted", () -> {
            PipelineCounters now = counters();
            return now.frames() > before.frames() && now.deadLettered() > before.deadLettered()
                    && now.recognized() + now.unknown() >= before.recognized() + before.unknown() + now.faces() - before.faces();
        });
        PipelineCounters after = counters();
        assertEquals(before.frames() + 1, after.frames(), "the broken frame is dead-lettered, not counted as a frame");
        assertEquals(before.deadLettered() + 1, after.deadLettered());
        assertTrue(after.recognized() > before.recognized(), "the enrolled person is recognized");
        List<RecentMatch> ofFrame = recent().stream().filter(m -> m.camera().equals("gate-1") && m.sequence() == 1).toList();
        assertTrue(ofFrame.stream().anyMatch(m -> m.identity().equals("Jacques_Chirac") && m.score() >= m.threshold()), ofFrame.toString());

        String text = http().retrieve(authed(HttpRequest.GET("/prometheus")), String.class);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("arcstream_frames_total{camera=\"gate-1\"}") && !l.endsWith(" 0.0")), "frames by camera");
        assertTrue(text.contains("arcstream_frame_to_match_seconds_count"), "frame-to-match latency");

        // a threshold no face reaches: the same person is now unknown
        http().retrieve(authed(HttpRequest.PUT("/admin/threshold", new ThresholdBody(0.999f))), ThresholdBody.class);
        try {
            sendFrame("gate-1", 2, images("Jacques_Chirac", 5).get(0));
            await("the second frame's matches", () -> recent().stream().anyMatch(m -> m.sequence() == 2));
            List<RecentMatch> second = recent().stream().filter(m -> m.camera().equals("gate-1") && m.sequence() == 2).toList();
            assertTrue(second.stream().allMatch(m -> m.identity().equals("unknown") && m.threshold() == 0.999f), second.toString());
        } finally {
            http().retrieve(authed(HttpRequest.PUT("/admin/threshold", new ThresholdBody(0.38f))), ThresholdBody.class);
        }
    }

    private static void sendFrame(String camera, long sequence, Path image) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, camera);
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
        FrameRecordHeaders.put(headers, FrameHeaders.CONTENT_TYPE, "image/jpeg");
        producer.send(new ProducerRecord<>("frames", null, camera, Files.readAllBytes(image), headers)).get();
    }

    private static PipelineCounters counters() {
        return http().retrieve(authed(HttpRequest.GET("/admin/counters")), PipelineCounters.class);
    }

    private static List<RecentMatch> recent() {
        return http().retrieve(authed(HttpRequest.GET("/admin/matches?limit=100")), Argument.listOf(RecentMatch.class));
    }

    private static BlockingHttpClient http() {
        return client.toBlocking();
    }

    private static <T> MutableHttpRequest<T> authed(MutableHttpRequest<T> request) {
        return request.basicAuth(USER, PASSWORD);
    }

    private static HttpStatus status(HttpRequest<?> request) {
        try {
            return http().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    private static MutableHttpRequest<MultipartBody> enrollRequest(MultipartBody body) {
        return authed(HttpRequest.POST("/admin/identities", body).contentType(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    private static EnrollResponse enroll(String id, String name, Integer face, List<Path> files) throws IOException {
        MultipartBody.Builder form = MultipartBody.builder().addPart("id", id).addPart("name", name);
        if (face != null) {
            form.addPart("face", face.toString());
        }
        for (Path file : files) {
            form.addPart("images", file.getFileName().toString(), MediaType.IMAGE_JPEG_TYPE, Files.readAllBytes(file));
        }
        HttpResponse<EnrollResponse> response = http().exchange(enrollRequest(form.build()), EnrollResponse.class);
        assertEquals(HttpStatus.CREATED, response.getStatus());
        assertEquals("/admin/identities/" + id, response.getHeaders().get("Location"));
        assertNotNull(response.body());
        return response.body();
    }

    private static IdentityView get(String id) {
        return http().retrieve(authed(HttpRequest.GET("/admin/identities/" + id)), IdentityView.class);
    }

    private static List<String> ids() {
        return http().retrieve(authed(HttpRequest.GET("/admin/identities")), Argument.listOf(IdentityView.class))
                .stream().map(IdentityView::id).toList();
    }

    private static List<Path> images(String identity, int... numbers) {
        return java.util.Arrays.stream(numbers)
                .mapToObj(n -> lfw.resolve(identity).resolve(String.format("%s_%04d.jpg", identity, n))).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
