package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import org.arcstream.embedder.stream.FailoverSettings;

/**
 * Where and how the embedder's Kafka Streams application runs (keys {@code embedder.kafka.*}).
 *
 * @param bootstrapServers the cluster's bootstrap servers, host:port[,host:port]
 * @param applicationId the Streams application id: consumer group, transactional id and internal topic prefix
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param stateDir where Kafka Streams keeps its local state; empty = {@code $XDG_STATE_HOME/arcstream/streams}, else
 *     {@code ~/.local/state/arcstream/streams}
 * @param sessionTimeout, instanceId, taskTimeout see {@link FailoverSettings}
 * <p>Any other Kafka client property (security) goes under {@link #CLIENT_PREFIX}, see {@code AdminFactory#kafkaClientConfig}.
 */
@ConfigurationProperties("embedder.kafka")
public record KafkaProperties(
        @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
        @Bindable(defaultValue = "arcstream-embedder") String applicationId,
        @Bindable(defaultValue = "exactly_once_v2") String processingGuarantee,
        @Bindable(defaultValue = "") String stateDir,
        @Bindable(defaultValue = "6s") Duration sessionTimeout,
        @Bindable(defaultValue = "") String instanceId,
        @Bindable(defaultValue = "5m") Duration taskTimeout) {

    /** Kafka client properties of every client of the service: {@code embedder.kafka.client.security.protocol=SASL_SSL}, ... */
    public static final String CLIENT_PREFIX = "embedder.kafka.client";

    public KafkaProperties {
        if (!processingGuarantee.equals("exactly_once_v2") && !processingGuarantee.equals("at_least_once")) {
            throw new IllegalArgumentException(
                    "embedder.kafka.processing-guarantee must be exactly_once_v2 or at_least_once, got " + processingGuarantee);
        }
    }

    public FailoverSettings failover() {
        return new FailoverSettings(sessionTimeout, instanceId, taskTimeout);
    }
}
