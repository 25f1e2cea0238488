package org.arcstream.trainer.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.trainer.service.TrainingService;
import org.arcstream.trainer.store.ModelDraft;
import org.arcstream.trainer.store.StoredModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's model endpoint over real HTTP (the service on a free port): read-only user, ranges, digest, published locations. */
class ModelFileEndpointTest {

    private static final String READER = "model-reader";
    private static final String READER_PASSWORD = "reader-secret";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private Map<String, Object> properties() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("trainer.store-dir", tmp.resolve("store").toString());
        props.put("trainer.gallery-dir", Files.createDirectories(tmp.resolve("gallery")).toString());
        props.put("trainer.schedule-cron", "");
        props.put("trainer.admin.password", "admin-secret");
        props.put("trainer.publish.base-url", "http://trainer.arcstream.svc:8081/");
        props.put("trainer.publish.password", READER_PASSWORD);
        return props;
    }

    private HttpResponse<byte[]> get(EmbeddedServer server, String path, String user, String password, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).GET();
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theReadOnlyUserGetsModelFilesWholeOrInRangesWithTheirDigestAndNothingElse() throws Exception {
        Path onnx = DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder();
        byte[] bytes = Files.readAllBytes(onnx);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties())) {
            StoredModel stored = server.getApplicationContext().getBean(TrainingService.class).store().put(ModelDraft.imported(onnx));
            String path = "/models/" + stored.version() + ".onnx";
            assertEquals(URI.create("http://trainer.arcstream.svc:8081" + path), stored.location(), "events carry the public base URL");

            HttpResponse<byte[]> whole = get(server, path, READER, READER_PASSWORD);
            assertEquals(200, whole.statusCode());
            assertArrayEquals(bytes, whole.body());
            String sha = stored.metadata().sha256();
            assertEquals("sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)) + ":",
                    whole.headers().firstValue("Repr-Digest").orElseThrow());
            assertEquals("\"" + sha + "\"", whole.headers().firstValue("ETag").orElseThrow());
            assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());

            HttpResponse<byte[]> rest = get(server, path, READER, READER_PASSWORD, "Range", "bytes=1000-", "If-Range", "\"" + sha + "\"");
            assertEquals(206, rest.statusCode());
            assertEquals("bytes 1000-" + (bytes.length - 1) + "/" + bytes.length, rest.headers().firstValue("Content-Range").orElseThrow());
            assertArrayEquals(Arrays.copyOfRange(bytes, 1000, bytes.length), rest.body());
            HttpResponse<byte[]> middle = get(server, path, READER, READER_PASSWORD, "Range", "bytes=10-19");
            assertEquals(206, middle.statusCode());
            assertArrayEquals(Arrays.copyOfRange(bytes, 10, 20), middle.body());
            HttpResponse<byte[]> otherFile = get(server, path, READER, READER_PASSWORD, "Range", "bytes=1000-", "If-Range", "\"other\"");
            assertEquals(200, otherFile.statusCode(), "a part of another file is not continued: the whole file comes");
            assertArrayEquals(bytes, otherFile.body());
            HttpResponse<byte[]> beyond = get(server, path, READER, READER_PASSWORD, "Range", "bytes=" + bytes.length + "-");
            assertEquals(416, beyond.statusCode());
            assertEquals("bytes */" + bytes.length, beyond.headers().firstValue("Content-Range").orElseThrow());

            assertEquals(401, get(server, path, null, null).statusCode());
            assertEquals(401, get(server, path, READER, "wrong").statusCode());
            assertEquals(403, get(server, "/admin/runs", READER, READER_PASSWORD).statusCode(), "the model user may not use the admin API");
            assertEquals(200, get(server, "/admin/runs", "admin", "admin-secret").statusCode());
            assertEquals(404, get(server, "/models/000000000000.onnx", READER, READER_PASSWORD).statusCode());
            assertEquals(404, get(server, "/models/..%2Fmetadata.json", READER, READER_PASSWORD).statusCode());
        }
    }

    @Test
    void withABaseUrlTheServiceDoesNotStartWithoutTheReadersPassword() throws Exception {
        Map<String, Object> props = properties();
        props.remove("trainer.publish.password");
        // outside dev and test, as in a cluster
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.builder(props).deduceEnvironment(false).environments("k8s")
                .run(EmbeddedServer.class).close());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("TRAINER_PUBLISH_PASSWORD"), root.getMessage());
        assertTrue(e instanceof BeanInstantiationException || e.getCause() != null);
    }
}
