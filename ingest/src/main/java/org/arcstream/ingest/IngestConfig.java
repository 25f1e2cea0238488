package org.arcstream.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Settings of the ingest service shared by all cameras (keys under {@code ingest.}; see application.yml).
 *
 * @param bootstrapServers Kafka cluster to publish to
 * @param framesTopic topic the frames go to
 * @param maxFrameBytes frames larger than this are not sent
 * @param queueCapacity frames a camera may hold between reading and sending
 * @param producerBufferMemory bytes the Kafka producer may buffer for all cameras together
 * @param producerMaxBlock how long a send may wait for buffer space or metadata before the frame counts as failed
 * @param connectTimeout how long connecting to a camera stream may take
 * @param readTimeout how long a camera stream may stay silent before it counts as failed
 * @param reconnectDelay pause before a looping camera reconnects
 */
@ConfigurationProperties("ingest")
public record IngestConfig(
        @Bindable(defaultValue = "127.0.0.1:9092") String bootstrapServers,
        @Bindable(defaultValue = "frames") String framesTopic,
        @Bindable(defaultValue = "4194304") int maxFrameBytes,
        @Bindable(defaultValue = "8") int queueCapacity,
        @Bindable(defaultValue = "67108864") long producerBufferMemory,
        @Bindable(defaultValue = "10s") Duration producerMaxBlock,
        @Bindable(defaultValue = "10s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration readTimeout,
        @Bindable(defaultValue = "2s") Duration reconnectDelay) {
}
