package org.arcstream.embedder.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
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
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the embedder's parts from the service configuration. */
@Factory
public class AdminFactory {

    private static final Logger LOG = LoggerFactory.getLogger(AdminFactory.class);

    /** Core's layered settings (arcstream.properties, ARCSTREAM_* variables): the face pipeline's configuration. */
    @Singleton
    Settings coreSettings() {
        return Settings.load(null);
    }

    /**
     * The cluster and client properties of every Kafka client of the service: {@code embedder.kafka.client.*}
     * over {@code ARCSTREAM_KAFKA_*} variables. Logged once, secrets hidden.
     */
    @Singleton
    KafkaClientConfig kafkaClientConfig(KafkaProperties kafka, Environment environment) {
        KafkaClientConfig config = KafkaClientConfig.resolve(kafka.bootstrapServers(),
                KafkaClientConfig.flatten(environment.getProperties(KafkaProperties.CLIENT_PREFIX, StringConvention.RAW)));
        LOG.info("Kafka clients: {}", config);
        return config;
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
    KafkaEmbedderRuntime embedderRuntime(KafkaProperties kafka, KafkaClientConfig kafkaClients, TopicProperties topics, StreamProperties stream,
            MatchProperties match, LearningProperties learning, MatchThreshold threshold, PipelineListener listener,
            FacePipelinePool pipelines) {
        EmbedderSettings settings = new EmbedderSettings(
                kafkaClients,
                kafka.applicationId(),
                topics.names(),
                kafka.processingGuarantee(),
                stream.threads(),
                stream.commitInterval(),
                stream.batchSize(),
                stream.batchMaxWait(),
                stream.batchFlushWhenIdle(),
                stream.idleCommitInterval(),
                Set.copyOf(stream.cameras()),
                match.subCentroids(),
                match.exactScanLimit(),
                threshold.get(),
                kafka.stateDir().isBlank() ? null : Path.of(kafka.stateDir()),
                pipelines.config(),
                kafka.failover(),
                learning.settings());
        return KafkaEmbedderRuntime.start(settings, pipelines, threshold, listener);
    }

    /**
     * The face pipelines of the stream threads and enrollment requests (the models behind them are loaded
     * once per process), switched by the model hot-swap.
     */
    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "embedder.stream.enabled", notEquals = "false")
    FacePipelinePool facePipelines(Settings core, StreamProperties stream) {
        return new FacePipelinePool(FacePipelineConfig.from(core), stream.threads(), stream.requestPipelines(), stream.pipelineWait());
    }
}
