package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The wait for the enrollment task: the action once this instance coordinates, the alternative when it never does. */
class CoordinatorGateTest {

    @Test
    void theActionRunsOnceTheInstanceCoordinates() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        try (CoordinatorGate gate = new CoordinatorGate(() -> checks.incrementAndGet() >= 3, Duration.ofMinutes(5), Duration.ofMillis(1))) {
            gate.whenCoordinating(() -> outcome.complete("promoted"), () -> outcome.complete("left to another instance"));
            assertEquals("promoted", outcome.get(30, TimeUnit.SECONDS));
        }
        assertEquals(3, checks.get(), "no check after the instance was seen coordinating");
    }

    @Test
    void theAlternativeRunsWhenTheInstanceNeverCoordinates() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        try (CoordinatorGate gate = new CoordinatorGate(() -> false, Duration.ZERO, Duration.ofMillis(1))) {
            gate.whenCoordinating(() -> outcome.complete("promoted"), () -> outcome.complete("left to another instance"));
            assertEquals("left to another instance", outcome.get(30, TimeUnit.SECONDS));
        }
    }
}
