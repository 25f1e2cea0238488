package org.arcstream.trainer.data;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;

/** Whether an optional topic exists, asked once: a run must not wait for a topic nobody has written yet. */
final class TopicPresence {

    private static final Duration ASK = Duration.ofSeconds(15);

    private TopicPresence() {}

    /** Lists the cluster's topics: unlike asking for the topic's partitions, this never creates it. */
    static boolean exists(Consumer<String, byte[]> consumer, String topic) {
        return consumer.listTopics(ASK).containsKey(topic);
    }
}
