package org.arcstream.ingest.publish;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.kafka.KafkaClientConfig;

/** The Kafka producer frames go out with; one can serve every camera of a process. */
public final class FrameProducers {

    /** Room for the record's key, headers and batch framing on top of the image itself. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    private FrameProducers() {}

    /**
     * Idempotent with acks=all (a retried frame is written once, and only once every in-sync
     * replica has it), requests large enough for the biggest allowed frame, a bounded send buffer
     * (at least 32 MiB and four maximal requests), and at most {@code max.block.ms} 10 s of waiting
     * in {@code send} when that buffer is full or the cluster is unreachable (the publisher then offers a file
     * frame again and drops a live one). A frame the producer has taken is never given up: its delivery timeout
     * is unbounded, so that it goes out once an unreachable cluster is back, and the bounded buffer is what
     * holds it meanwhile. Batches of up to 1 MiB,
     * so that several frames share a request. JPEG and PNG do not compress further, so compression
     * stays off. Entries of {@code overrides} replace these; the cluster's client properties (security)
     * come from {@code kafka}.
     */
    public static Map<String, Object> config(KafkaClientConfig kafka, int maxFrameBytes, Map<String, Object> overrides) {
        int maxRequest = maxFrameBytes + RECORD_OVERHEAD_BYTES;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "arcstream-ingest");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 4L * maxRequest));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // the 16 KiB default holds about one camera picture: batches of several frames need room for them
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.putAll(overrides);
        return kafka.clientConfig(config);
    }

    public static Producer<String, byte[]> create(Map<String, Object> config) {
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    public static Producer<String, byte[]> create(KafkaClientConfig kafka, int maxFrameBytes) {
        return create(config(kafka, maxFrameBytes, Map.of()));
    }
}
