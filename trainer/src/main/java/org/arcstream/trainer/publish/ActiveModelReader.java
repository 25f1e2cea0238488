package org.arcstream.trainer.publish;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.kafka.ActiveModelTopic;
import org.arcstream.kafka.KafkaClientConfig;

/** The model version the embedders use, as the compacted active-model topic names it (they write it on promote and roll back). */
public final class ActiveModelReader {

    private ActiveModelReader() {}

    /**
     * The latest readable record's active version; empty when the topic does not exist or names none (the
     * embedders then run the model they were started with). A value that does not decode is passed over, as
     * the embedders pass over it.
     */
    public static Optional<String> activeVersion(KafkaClientConfig kafka, String topic, Duration timeout) {
        try (Consumer<String, byte[]> consumer = TopicReads.consumer(kafka)) {
            return ActiveModelTopic.latestDecision(consumer, topic, timeout).map(ActiveModel::active);
        }
    }
}
