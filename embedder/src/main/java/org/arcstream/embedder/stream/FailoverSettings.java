package org.arcstream.embedder.stream;

import java.time.Duration;

/**
 * How fast the group notices a lost instance, and how long Kafka Streams waits for the cluster before a task
 * gives up (keys {@code embedder.kafka.session-timeout}, {@code instance-id}, {@code task-timeout}).
 *
 * @param sessionTimeout an instance that stops heartbeating (killed, frozen) loses its partitions after this;
 *     at least the brokers' {@code group.min.session.timeout.ms} (6 s by default)
 * @param instanceId static group membership when not blank: an instance restarted under the same id takes its
 *     partitions back at once, without a rebalance; blank = dynamic membership
 * @param taskTimeout how long a task waits for the cluster before its thread is replaced (Kafka's
 *     {@code task.timeout.ms}); the replaced thread waits for the cluster and carries on by itself
 */
public record FailoverSettings(Duration sessionTimeout, String instanceId, Duration taskTimeout) {

    /** Seconds; a compile-time constant so that the service's {@code embedder.kafka.session-timeout} default is this one. */
    public static final int SESSION_TIMEOUT_SECONDS = 6;
    public static final int TASK_TIMEOUT_MINUTES = 5;
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(SESSION_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofMinutes(TASK_TIMEOUT_MINUTES);

    public FailoverSettings {
        if (sessionTimeout == null || sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("embedder.kafka.session-timeout must be at least 1s, got " + sessionTimeout);
        }
        if (taskTimeout == null || taskTimeout.isNegative()) {
            throw new IllegalArgumentException("embedder.kafka.task-timeout must not be negative, got " + taskTimeout);
        }
        instanceId = instanceId == null ? "" : instanceId.trim();
    }

    public static FailoverSettings defaults() {
        return new FailoverSettings(DEFAULT_SESSION_TIMEOUT, "", DEFAULT_TASK_TIMEOUT);
    }

    public boolean staticMembership() {
        return !instanceId.isEmpty();
    }
}
