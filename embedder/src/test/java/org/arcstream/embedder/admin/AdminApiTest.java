package org.arcstream.embedder.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.stream.PipelineListener;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP, without a stream: authentication, threshold, limits, metrics, OpenAPI. */
@MicronautTest
@Property(name = "micronaut.server.port", value = "-1")
@Property(name = "embedder.stream.enabled", value = "false")
@Property(name = "embedder.admin.username", value = AdminApiTest.USER)
@Property(name = "embedder.admin.password", value = AdminApiTest.PASSWORD)
@Property(name = "embedder.stream.cameras", value = "gate-1,gate-2")
@Property(name = "embedder.admin.recent-matches", value = "3")
@Property(name = "micronaut.server.max-request-size", value = "64KB")
class AdminApiTest {

    static final String USER = "operator";
    static final String PASSWORD = "s3cret-for-tests";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    PipelineListener listener;

    private BlockingHttpClient http() {
        return client.toBlocking();
    }

    private static <T> MutableHttpRequest<T> authed(MutableHttpRequest<T> request) {
        return request.basicAuth(USER, PASSWORD);
    }

    private HttpStatus statusOf(HttpRequest<?> request) {
        try {
            return http().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    @Test
    void healthAnswersWithoutCredentials() {
        HttpResponse<String> response = http().exchange(HttpRequest.GET("/health"), String.class);
        assertEquals(HttpStatus.OK, response.getStatus());
        assertTrue(response.body().contains("\"UP\""), response.body());
    }

    @Test
    void everythingElseNeedsTheConfiguredCredentials() {
        for (String path : List.of("/admin/threshold", "/admin/counters", "/admin/matches", "/prometheus",
                "/swagger/arcstream-embedder-1.yml")) {
            assertEquals(HttpStatus.UNAUTHORIZED, statusOf(HttpRequest.GET(path)), path + " without credentials");
            assertEquals(HttpStatus.UNAUTHORIZED, statusOf(HttpRequest.GET(path).basicAuth(USER, PASSWORD + "x")),
                    path + " with a wrong password");
            assertEquals(HttpStatus.UNAUTHORIZED, statusOf(HttpRequest.GET(path).basicAuth("admin", PASSWORD)),
                    path + " with a wrong user");
            assertEquals(HttpStatus.OK, statusOf(authed(HttpRequest.GET(path))), path + " with credentials");
        }
    }

    @Test
    void managementEndpointsOtherThanHealthAndPrometheusAreNotServed() {
        assertEquals(HttpStatus.NOT_FOUND, statusOf(HttpRequest.GET("/beans")));
        assertEquals(HttpStatus.NOT_FOUND, statusOf(authed(HttpRequest.GET("/beans"))));
        assertEquals(HttpStatus.NOT_FOUND, statusOf(authed(HttpRequest.GET("/env"))));
    }

    @Test
    void unauthenticatedCallersAreToldToUseBasicAuth() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http().exchange(HttpRequest.GET("/admin/threshold"), String.class));
        assertTrue(e.getResponse().getHeaders().get("WWW-Authenticate").startsWith("Basic"));
    }

    @Test
    void thresholdCanBeReadAndChanged() {
        ThresholdBody set = http().retrieve(authed(HttpRequest.PUT("/admin/threshold", new ThresholdBody(0.5f))), ThresholdBody.class);
        assertEquals(0.5f, set.threshold());
        assertEquals(0.5f, http().retrieve(authed(HttpRequest.GET("/admin/threshold")), ThresholdBody.class).threshold());

        http().retrieve(authed(HttpRequest.PUT("/admin/threshold", new ThresholdBody(-0.25f))), ThresholdBody.class);
        assertEquals(-0.25f, http().retrieve(authed(HttpRequest.GET("/admin/threshold")), ThresholdBody.class).threshold());
    }

    @Test
    void thresholdOutsideTheCosineRangeOrMissingIsRefusedAndChangesNothing() {
        http().retrieve(authed(HttpRequest.PUT("/admin/threshold", new ThresholdBody(0.4f))), ThresholdBody.class);
        for (String body : List.of("{\"threshold\":1.5}", "{\"threshold\":-1.01}", "{}", "{\"threshold\":\"high\"}", "not json")) {
            MutableHttpRequest<String> request = authed(HttpRequest.PUT("/admin/threshold", body).contentType(MediaType.APPLICATION_JSON_TYPE));
            assertEquals(HttpStatus.BAD_REQUEST, statusOf(request), body);
        }
        assertEquals(0.4f, http().retrieve(authed(HttpRequest.GET("/admin/threshold")), ThresholdBody.class).threshold());
    }

    @Test
    void oversizedRequestIsAnswered413() {
        String big = "{\"threshold\":0.4,\"padding\":\"" + "x".repeat(100_000) + "\"}";
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http().exchange(
                authed(HttpRequest.PUT("/admin/threshold", big).contentType(MediaType.APPLICATION_JSON_TYPE)), String.class));
        assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getStatus());
        assertTrue(e.getResponse().getBody(String.class).orElse("").contains("exceeds the maximum allowed content length"),
                "the answer says why");
    }

    @Test
    void listenerEventsShowInCountersRecentMatchesAndPrometheus() {
        PipelineCounters before = http().retrieve(authed(HttpRequest.GET("/admin/counters")), PipelineCounters.class);

        listener.onFrame("gate-1", 2);
        listener.onFrame("somewhere-else", 0);
        listener.onBatch(2, 12_000_000L);
        listener.onMatch(match("gate-1", 7, "ann"), 35);
        listener.onMatch(match("gate-1", 7, MatchRecord.UNKNOWN), 36);
        listener.onDeadLetter("decode", "not an image");
        listener.onSkipped("centroids", "unusable-centroid: centroid 0 has a NaN value at index 3");

        PipelineCounters after = http().retrieve(authed(HttpRequest.GET("/admin/counters")), PipelineCounters.class);
        assertEquals(before.frames() + 2, after.frames());
        assertEquals(before.faces() + 2, after.faces());
        assertEquals(before.recognized() + 1, after.recognized());
        assertEquals(before.unknown() + 1, after.unknown());
        assertEquals(before.deadLettered() + 1, after.deadLettered());
        assertEquals(before.skipped() + 1, after.skipped());

        List<RecentMatch> recent = http().retrieve(authed(HttpRequest.GET("/admin/matches?limit=2")), Argument.listOf(RecentMatch.class));
        assertEquals(2, recent.size());
        assertEquals(MatchRecord.UNKNOWN, recent.get(0).identity(), "newest first");
        assertEquals("ann", recent.get(1).identity());
        assertEquals(HttpStatus.BAD_REQUEST, statusOf(authed(HttpRequest.GET("/admin/matches?limit=4"))), "more than are kept");

        String text = http().retrieve(authed(HttpRequest.GET("/prometheus")), String.class);
        for (String expected : List.of(
                "arcstream_frames_total{camera=\"gate-1\"}",
                "arcstream_frames_total{camera=\"gate-2\"} 0.0",
                "arcstream_frames_total{camera=\"other\"}",
                "arcstream_faces_total",
                "arcstream_matches_total{outcome=\"recognized\"}",
                "arcstream_matches_total{outcome=\"unknown\"}",
                "arcstream_dead_letters_total{stage=\"decode\"}",
                "arcstream_skipped_records_total{input=\"centroids\",reason=\"unusable-centroid\"}",
                "arcstream_embedding_batch_faces_bucket{le=\"2.0\"}",
                "arcstream_embedding_inference_seconds_bucket",
                "arcstream_frame_to_match_seconds_bucket")) {
            assertTrue(text.contains(expected), "Prometheus text lacks " + expected);
        }
        assertTrue(!text.contains("somewhere-else"), "unlisted cameras are not labels of their own");
    }

    @Test
    void openApiDescriptionIsServed() {
        String yaml = http().retrieve(authed(HttpRequest.GET("/swagger/arcstream-embedder-1.yml")), String.class);
        assertTrue(yaml.startsWith("openapi: 3"), yaml.substring(0, Math.min(80, yaml.length())));
        for (String path : List.of("/admin/identities:", "/admin/identities/{id}:", "/admin/threshold:", "/admin/matches:", "/admin/counters:")) {
            assertTrue(yaml.contains(path), "OpenAPI lacks " + path);
        }
    }

    @Test
    void responsesNameTheirFieldsInSnakeCaseAsTheMatchesTopicAndTheOpenApiDescriptionDo() throws Exception {
        MatchRecord sent = match("gate-2", 11, "ann");
        listener.onMatch(sent, 20);
        ObjectMapper json = new ObjectMapper();
        JsonNode recent = json.readTree(http().retrieve(authed(HttpRequest.GET("/admin/matches?limit=1")), String.class)).get(0);
        JsonNode topic = json.readTree(MatchCodec.encode(sent));
        recent.fieldNames().forEachRemaining(name -> assertTrue(topic.has(name), name + " is not a field of the matches topic: " + topic));
        assertTrue(recent.has("captured_at") && recent.has("runner_up_score") && recent.has("model_version"), recent.toString());
        assertEquals(topic.get("runner_up_score").floatValue(), recent.get("runner_up_score").floatValue());

        JsonNode counters = json.readTree(http().retrieve(authed(HttpRequest.GET("/admin/counters")), String.class));
        assertTrue(counters.has("dead_lettered"), counters.toString());

        String openApi = http().retrieve(authed(HttpRequest.GET("/swagger/arcstream-embedder-1.yml")), String.class);
        for (String field : List.of("dead_lettered:", "runner_up_score:", "captured_at:", "model_versions:", "accepted_samples:",
                "parent_version:")) {
            assertTrue(openApi.contains(field), "the OpenAPI description names " + field);
        }
        assertTrue(!openApi.contains("deadLettered") && !openApi.contains("runnerUpScore"), "no camelCase field in the OpenAPI description");
    }

    private static MatchRecord match(String camera, long sequence, String identity) {
        return new MatchRecord(MatchRecord.VERSION, camera, sequence, 0, sequence, 1_763_000_000_000L, 0,
                new float[] {1, 2, 30, 40, 0.9f}, identity, MatchRecord.UNKNOWN.equals(identity) ? null : "Ann",
                0.6f, 0.1f, 0.38f, "c20fa0d6420a");
    }
}
