package org.arcstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The service over real HTTP, publishing a configured camera to the in-process broker. */
@MicronautTest(environments = IngestApplication.ENVIRONMENT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestApplicationTest implements TestPropertyProvider {

    @Serdeable
    record Health(String status) {
    }

    private static final String TOPIC = "frames-service";

    private EmbeddedKafkaBroker broker;
    private Path lobbyFolder;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        lobbyFolder = IngestTestData.lfwImages(1, 1).get(0).getParent();
        broker = SharedBroker.get();
        broker.createTopics(Map.of(TOPIC, 1));
        return Map.of(
                "micronaut.server.port", "-1",
                "ingest.bootstrap-servers", broker.bootstrapServers(),
                "ingest.frames-topic", TOPIC,
                "ingest.cameras.lobby.source", lobbyFolder.toString(),
                "ingest.cameras.lobby.fps", "50",
                "ingest.cameras.gate.source", "/no/such/recording.mp4");
    }

    @Test
    void healthIsUpWithoutCredentials() {
        HttpResponse<Health> response = client.toBlocking().exchange("/health", Health.class);
        assertEquals(HttpStatus.OK, response.getStatus());
        assertEquals("UP", response.body().status());
    }

    @Test
    void camerasReportTheirCountsAndTheirFramesAreInTheTopic() throws Exception {
        CameraStatus lobby = awaitLobbyFinished();
        assertEquals(new CameraStatus("lobby", lobbyFolder.toString(), "finished", null, 10, 10, 0, 0, 0, 0), lobby);

        CameraStatus gate = cameras().stream().filter(c -> c.camera().equals("gate")).findFirst().orElseThrow();
        assertEquals("failed", gate.state());
        assertEquals("/no/such/recording.mp4: no such file or directory", gate.error());
        assertEquals(0, gate.read());

        List<ConsumerRecord<String, byte[]>> records = FramesTopic.read(broker.bootstrapServers(), TOPIC, 10);
        assertEquals(10, records.size());
        assertTrue(records.stream().allMatch(r -> r.key().equals("lobby")));
    }

    @Test
    void otherManagementEndpointsAreNotServed() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange("/beans", String.class));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    }

    private List<CameraStatus> cameras() {
        return client.toBlocking().retrieve(HttpRequest.GET("/cameras"), Argument.listOf(CameraStatus.class));
    }

    private CameraStatus awaitLobbyFinished() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        CameraStatus lobby = null;
        while (System.currentTimeMillis() < deadline) {
            lobby = cameras().stream().filter(c -> c.camera().equals("lobby")).findFirst().orElseThrow();
            if (!lobby.state().equals("starting") && !lobby.state().equals("running")) {
                break;
            }
            Thread.sleep(100);
        }
        assertNull(lobby == null ? "no status" : lobby.error());
        return lobby;
    }
}
