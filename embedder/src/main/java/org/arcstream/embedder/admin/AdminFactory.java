package org.arcstream.embedder.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.HashSet;
import org.arcstream.core.config.Settings;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.PipelineListener;

/** Builds the embedder's parts from the service configuration. */
@Factory
public class AdminFactory {

    /** Core's layered settings (arcstream.properties, ARCSTREAM_* variables): the face pipeline's configuration. */
    @Singleton
    Settings coreSettings() {
        return Settings.load(null);
    }

    @Singleton
    MatchThreshold matchThreshold(MatchProperties match, Settings core) {
        return new MatchThreshold(match.threshold() != null ? match.threshold() : core.decimal("match.threshold"));
    }

    @Singleton
    PipelineMetrics pipelineMetrics(MeterRegistry registry, StreamProperties stream) {
        return new PipelineMetrics(registry, new HashSet<>(stream.cameras()));
    }

    @Singleton
    RecentMatches recentMatches(AdminProperties admin) {
        return new RecentMatches(admin.recentMatches());
    }

    @Singleton
    StreamsConsumerLagMetrics consumerLagMetrics(KafkaProperties kafka) {
        return new StreamsConsumerLagMetrics(kafka.applicationId());
    }

    @Singleton
    PipelineListener pipelineListener(PipelineMetrics metrics, RecentMatches recent) {
        return new AdminPipelineListener(metrics, recent);
    }
}
