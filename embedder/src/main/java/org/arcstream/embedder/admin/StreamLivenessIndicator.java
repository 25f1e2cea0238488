package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.arcstream.embedder.stream.EmbedderRuntime;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Live unless the stream has stopped for good (failed, or stopped without a shutdown): only a restart helps
 * then. A broker outage or a rebalance does not count: the stream recovers from those by itself, and a
 * restart would only add a rebalance. Part of {@code /health/liveness}.
 */
@Singleton
@Liveness
@Requires(beans = EmbedderRuntime.class)
public final class StreamLivenessIndicator implements HealthIndicator {

    private final EmbedderRuntime runtime;

    public StreamLivenessIndicator(EmbedderRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.just(HealthResult.builder("stream-alive", runtime.alive() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("state", runtime.state()))
                .build());
    }
}
