package org.arcstream.embedder.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
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

    /**
     * The stream itself, started with the service ({@link Context}) so that a missing cluster or model fails
     * the start instead of the first request, and closed on shutdown. {@code embedder.stream.enabled=false}
     * serves the admin API without it (no gallery endpoints, no stream in the readiness check).
     */
    @Context
    @Bean(preDestroy = "close")
    @Requires(property = "embedder.stream.enabled", notEquals = "false")
    KafkaEmbedderRuntime embedderRuntime(KafkaProperties kafka, TopicProperties topics, StreamProperties stream,
            MatchProperties match, MatchThreshold threshold, PipelineListener listener, FacePipelinePool pipelines) {
        EmbedderSettings settings = new EmbedderSettings(
                kafka.bootstrapServers(),
                kafka.applicationId(),
                topics.names(),
                kafka.processingGuarantee(),
                stream.threads(),
                stream.commitInterval(),
                stream.batchSize(),
                stream.batchMaxWait(),
                Set.copyOf(stream.cameras()),
                match.subCentroids(),
                match.exactScanLimitOrDefault(),
                threshold.get(),
                kafka.stateDir().isBlank() ? null : Path.of(kafka.stateDir()),
                pipelines.config());
        return KafkaEmbedderRuntime.start(settings, pipelines, threshold, listener);
    }

    /** The loaded face models, shared by the stream's tasks and switched by the model hot-swap. */
    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "embedder.stream.enabled", notEquals = "false")
    FacePipelinePool facePipelines(Settings core) {
        return new FacePipelinePool(FacePipelineConfig.from(core));
    }
}
