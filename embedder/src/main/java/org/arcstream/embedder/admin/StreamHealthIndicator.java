package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Requires;
import reactor.core.publisher.Mono;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.arcstream.embedder.stream.EmbedderRuntime;
import org.reactivestreams.Publisher;

/**
 * Ready while the instance can process frames: the Kafka Streams application runs (not rebalancing), its
 * gallery is restored and the Kafka cluster answers; part of {@code /health/readiness}.
 */
@Singleton
@Readiness
@Requires(beans = EmbedderRuntime.class)
public final class StreamHealthIndicator implements HealthIndicator {

    private final EmbedderRuntime runtime;

    public StreamHealthIndicator(EmbedderRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        HealthStatus status = runtime.ready() ? HealthStatus.UP : HealthStatus.DOWN;
        return Mono.just(HealthResult.builder("stream", status)
                .details(Map.of("state", runtime.state(), "kafka", runtime.brokerReachable() ? "reachable" : "unreachable"))
                .build());
    }
}
