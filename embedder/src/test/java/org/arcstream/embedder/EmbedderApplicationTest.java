package org.arcstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The service over real HTTP on a free port. */
@MicronautTest
@Property(name = "micronaut.server.port", value = "-1")
class EmbedderApplicationTest {

    @Serdeable
    record Health(String status) {
    }

    @Inject
    EmbeddedServer server;

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void healthIsUpWithoutCredentials() {
        HttpResponse<Health> response = client.toBlocking().exchange("/health", Health.class);
        assertEquals(HttpStatus.OK, response.getStatus());
        assertEquals("UP", response.body().status());
        // -1 means "any free port", so a real one must have been bound
        assertTrue(server.getPort() > 0);
    }

    @Test
    void otherManagementEndpointsAreNotServed() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange("/beans", String.class));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    }
}
