package org.arcstream.ingest.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.arcstream.kafka.KafkaClientConfig;

/**
 * Checks before publishing that the cluster answers and the frames topic exists, so that a wrong
 * address or topic is one clear error instead of every frame waiting out {@code max.block.ms}; and
 * warns when the topic would refuse frames that the size limit lets through.
 */
public final class FramesTopicCheck {

    private FramesTopicCheck() {}

    /**
     * @return a warning when the topic's {@code max.message.bytes} is below the frame limit
     * @throws IllegalStateException naming the cluster or topic when either is unavailable
     */
    public static Optional<String> verify(KafkaClientConfig kafka, String topic, int maxFrameBytes, Duration timeout) {
        OptionalLong topicLimit = maxMessageBytes(kafka, topic, timeout);
        if (topicLimit.isPresent() && topicLimit.getAsLong() < (long) maxFrameBytes + FrameProducers.RECORD_OVERHEAD_BYTES) {
            return Optional.of("topic " + topic + " accepts records up to " + topicLimit.getAsLong() + " bytes (max.message.bytes), "
                    + "less than max-frame-bytes " + maxFrameBytes + ": larger frames will fail; raise max.message.bytes "
                    + "to at least " + ((long) maxFrameBytes + FrameProducers.RECORD_OVERHEAD_BYTES) + " or lower max-frame-bytes");
        }
        return Optional.empty();
    }

    /**
     * The largest frame the topic takes: its {@code max.message.bytes} less the room the producer keeps for
     * key, headers and batch framing ({@link FrameProducers}); empty when the cluster does not tell.
     *
     * @throws IllegalStateException naming the cluster or topic when either is unavailable
     */
    public static OptionalInt largestFrame(KafkaClientConfig kafka, String topic, Duration timeout) {
        OptionalLong topicLimit = maxMessageBytes(kafka, topic, timeout);
        if (topicLimit.isEmpty()) {
            return OptionalInt.empty();
        }
        long frame = topicLimit.getAsLong() - FrameProducers.RECORD_OVERHEAD_BYTES;
        return OptionalInt.of((int) Math.max(1, Math.min(Integer.MAX_VALUE, frame)));
    }

    /** The topic's {@code max.message.bytes}; empty when its configuration does not say. */
    private static OptionalLong maxMessageBytes(KafkaClientConfig kafka, String topic, Duration timeout) {
        long ms = timeout.toMillis();
        String bootstrapServers = kafka.bootstrapServers();
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ms, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ms)))) {
            try {
                admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " within " + ms + " ms");
                }
                // a refused login or TLS handshake says so, rather than looking like an absent cluster
                throw new IllegalStateException("cannot use Kafka at " + bootstrapServers + ": " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " within " + ms + " ms");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config;
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
                config = admin.describeConfigs(List.of(resource)).all().get(ms, TimeUnit.MILLISECONDS).get(resource);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrapServers);
                }
                throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                throw new IllegalStateException("no answer about topic " + topic + " within " + ms + " ms");
            }
            ConfigEntry limit = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return limit != null && limit.value() != null ? OptionalLong.of(Long.parseLong(limit.value())) : OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + topic);
        }
    }
}
