package org.arcstream.ingest.publish;

/**
 * How one camera is published.
 *
 * @param topic the frames topic
 * @param framesPerSecond target rate; 0 = as fast as the source and Kafka go
 * @param maxFrameBytes frames larger than this are not sent (counted and logged)
 * @param queueCapacity frames waiting between the reading and the sending thread; with the frame
 *     limit it bounds the memory a camera can hold
 */
public record PublisherSettings(String topic, double framesPerSecond, int maxFrameBytes, int queueCapacity) {

    public static final String DEFAULT_TOPIC = "frames";
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 << 20;
    public static final int DEFAULT_QUEUE_CAPACITY = 8;

    public PublisherSettings {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic is required");
        }
        if (!(framesPerSecond >= 0) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException("frames per second must be 0 or more, got " + framesPerSecond);
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("max frame bytes must be positive, got " + maxFrameBytes);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
        }
    }

    /** Topic {@code frames}, no rate limit, 4 MiB frames, 8 queued frames. */
    public static PublisherSettings defaults() {
        return new PublisherSettings(DEFAULT_TOPIC, 0, DEFAULT_MAX_FRAME_BYTES, DEFAULT_QUEUE_CAPACITY);
    }

    public PublisherSettings withFramesPerSecond(double fps) {
        return new PublisherSettings(topic, fps, maxFrameBytes, queueCapacity);
    }

    public PublisherSettings withMaxFrameBytes(int bytes) {
        return new PublisherSettings(topic, framesPerSecond, bytes, queueCapacity);
    }

    public PublisherSettings withTopic(String name) {
        return new PublisherSettings(name, framesPerSecond, maxFrameBytes, queueCapacity);
    }

    public PublisherSettings withQueueCapacity(int capacity) {
        return new PublisherSettings(topic, framesPerSecond, maxFrameBytes, capacity);
    }
}
