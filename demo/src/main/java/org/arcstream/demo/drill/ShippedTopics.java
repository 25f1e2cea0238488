package org.arcstream.demo.drill;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.arcstream.embedder.stream.EmbedderTopics;
import org.arcstream.kafka.KafkaTopics;

/**
 * The pipeline's topics with the partitions and settings that deploy/k8s/topics-job/topics.yaml gives them
 * (ShippedTopicsTest holds the two together), so that a drill meets the limits a cluster has: frames of
 * up to 20 MiB, dead letters as large, compacted gallery and model topics.
 */
final class ShippedTopics {

    /** {@code max.message.bytes} of frames and dead-letter as shipped. */
    static final int FRAMES_MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

    record Topic(String name, int partitions, Map<String, String> configs) {}

    private static final String COMPACT = TopicConfig.CLEANUP_POLICY_COMPACT;

    static final List<Topic> ALL = List.of(
            new Topic("frames", 12, with(EmbedderTopics.FRAMES, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(FRAMES_MAX_MESSAGE_BYTES))),
            new Topic("faces", 12, EmbedderTopics.FACES),
            new Topic("matches", 12, EmbedderTopics.MATCHES),
            new Topic("dead-letter", 3, with(EmbedderTopics.DEAD_LETTER, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(FRAMES_MAX_MESSAGE_BYTES))),
            new Topic("enrollment", 1, EmbedderTopics.COMPACTED),
            new Topic("centroids", 3, EmbedderTopics.COMPACTED),
            new Topic("recognitions", 3, EmbedderTopics.COMPACTED),
            new Topic("models", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, COMPACT, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "67108864")),
            new Topic("active-model", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, COMPACT)),
            new Topic("labels", 1, EmbedderTopics.FACES));

    private static Map<String, String> with(Map<String, String> configs, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(configs);
        all.put(key, value);
        return Map.copyOf(all);
    }

    private ShippedTopics() {}

    /** Creates every topic (one replica: the drills run one broker). */
    static void create(Admin admin) throws Exception {
        List<NewTopic> topics = ALL.stream().map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs())).toList();
        KafkaTopics.createMissing(admin, topics, Duration.ofSeconds(60));
    }
}
