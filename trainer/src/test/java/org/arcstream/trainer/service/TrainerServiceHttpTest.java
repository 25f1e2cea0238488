package org.arcstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.arcstream.trainer.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerServiceHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private EmbeddedServer start(Path gallery) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("trainer.store-dir", tmp.resolve("store").toString());
        props.put("trainer.gallery-dir", gallery.toString());
        props.put("trainer.schedule-cron", "");
        props.put("trainer.admin.password", "s3cret");
        props.put("trainer.training.epochs", 2);
        props.put("trainer.training.batch-size", 8);
        props.put("trainer.training.train-last-initializers", 2);
        props.put("trainer.training.learning-rate", 0.001);
        props.put("trainer.training.heldout-identity-fraction", 0.4);
        props.put("trainer.training.heldout-images-per-identity", 1);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    private HttpResponse<String> send(EmbeddedServer server, String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesWithoutCredentialsThenRunsOnDemandAndReportsStatusAndModels() throws Exception {
        Path gallery = SharedData.smallGallery(tmp.resolve("gallery"), 5, 4);
        try (EmbeddedServer server = start(gallery)) {
            assertEquals(401, send(server, "POST", "/admin/runs", null, null).statusCode());
            assertEquals(401, send(server, "POST", "/admin/runs", "admin", "wrong").statusCode());
            HttpResponse<String> noAuthList = send(server, "GET", "/admin/runs", null, null);
            assertEquals(401, noAuthList.statusCode());
            assertTrue(noAuthList.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
            assertEquals(200, send(server, "GET", "/health", null, null).statusCode());

            HttpResponse<String> started = send(server, "POST", "/admin/runs", "admin", "s3cret");
            assertEquals(202, started.statusCode(), started.body());
            String id = JSON.readTree(started.body()).get("id").asText();
            assertEquals(409, send(server, "POST", "/admin/runs", "admin", "s3cret").statusCode());

            JsonNode run = null;
            long deadline = System.currentTimeMillis() + 240_000;
            while (System.currentTimeMillis() < deadline) {
                run = JSON.readTree(send(server, "GET", "/admin/runs/" + id, "admin", "s3cret").body());
                String state = run.get("state").asText();
                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertNotNull(run);
            assertEquals("SUCCEEDED", run.get("state").asText(), run.toString());
            JsonNode gate = run.get("report").get("gate");
            assertTrue(gate.get("current").get("heldout_identities").get("auc").asDouble() > 0.5, gate.toString());
            assertTrue(gate.get("candidate").get("heldout_identities").has("tar_at_far_1pct"));
            assertEquals(gate.get("accepted").asBoolean(), !run.get("report").get("published_version").isNull());
            assertTrue(Files.isRegularFile(tmp.resolve("store/runs").resolve(id).resolve("report.json")));
            assertTrue(Files.isRegularFile(tmp.resolve("store/runs").resolve(id).resolve("roc.png")));

            JsonNode models = JSON.readTree(send(server, "GET", "/admin/models", "admin", "s3cret").body());
            assertEquals("imported", models.get(0).get("gate_decision").asText());
            assertEquals(gate.get("accepted").asBoolean() ? 2 : 1, models.size());
            assertEquals(1, JSON.readTree(send(server, "GET", "/admin/runs", "admin", "s3cret").body()).size());
            assertEquals(404, send(server, "GET", "/admin/runs/nope", "admin", "s3cret").statusCode());
        }
    }
}
