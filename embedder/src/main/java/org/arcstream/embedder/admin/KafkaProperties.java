package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FailoverSettings;

/**
 * Where and how the embedder's Kafka Streams application runs (keys {@code embedder.kafka.*}).
 * Any other Kafka client property (security) goes under {@link #CLIENT_PREFIX}, see {@code AdminFactory#kafkaClientConfig}.
 *
 * @param bootstrapServers the cluster to read frames from and write faces, matches and dead letters to, host:port[,host:port]
 * @param applicationId the Streams application id: consumer group, transactional id prefix and internal topic prefix;
 *     instances with the same id share the partitions
 * @param processingGuarantee {@code exactly_once_v2} (every frame gives its matches once, even across restarts) or
 *     {@code at_least_once}
 * @param stateDir Kafka Streams' local state (enrollment samples, pending faces); empty = {@code $XDG_STATE_HOME/arcstream/streams},
 *     else {@code ~/.local/state/arcstream/streams} (not the system temp dir, which the OS may clear)
 * @param sessionTimeout an instance that stops heartbeating (killed, frozen) loses its partitions to the others after this;
 *     no less than the brokers' {@code group.min.session.timeout.ms} (6s by default)
 * @param instanceId static group membership: a stable id per instance (e.g. the pod name of a StatefulSet); an instance
 *     restarted under its id takes its partitions back at once, without a rebalance, a killed one that is not restarted
 *     keeps them for the session timeout; empty = dynamic membership (a Deployment's pods)
 * @param taskTimeout how long a task waits for an unreachable cluster before its stream thread is replaced; the new thread
 *     waits for the cluster in turn and carries on by itself once it is back (Kafka's {@code task.timeout.ms})
 */
@Context
@ConfigurationProperties("embedder.kafka")
public record KafkaProperties(
        @NotBlank @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
        @NotBlank @Bindable(defaultValue = EmbedderSettings.APPLICATION_ID) String applicationId,
        @Pattern(regexp = EmbedderSettings.PROCESSING_GUARANTEES)
        @Bindable(defaultValue = EmbedderSettings.PROCESSING_GUARANTEE) String processingGuarantee,
        @Bindable(defaultValue = "") String stateDir,
        @DurationMin("1s") @Bindable(defaultValue = FailoverSettings.SESSION_TIMEOUT_SECONDS + "s") Duration sessionTimeout,
        @Bindable(defaultValue = "") String instanceId,
        @DurationMin("0s") @Bindable(defaultValue = FailoverSettings.TASK_TIMEOUT_MINUTES + "m") Duration taskTimeout) {

    /** Kafka client properties of every client of the service: {@code embedder.kafka.client.security.protocol=SASL_SSL}, ... */
    public static final String CLIENT_PREFIX = "embedder.kafka.client";

    public FailoverSettings failover() {
        return new FailoverSettings(sessionTimeout, instanceId, taskTimeout);
    }
}
