package org.arcstream.kafka;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.RecordFormatException;

/** The standing switch decision on the compacted {@code active-model} topic, read the way every embedder reads it at its start. */
public final class ActiveModelTopic {

    private ActiveModelTopic() {}

    /**
     * The latest readable decision, if any: a value that does not decode is passed over as the running
     * instances pass over it (their watcher counts and logs it), so the decision before it stands. Empty
     * also when the topic does not exist (no embedder has switched models on this cluster).
     */
    public static Optional<ActiveModel> latestDecision(Consumer<String, byte[]> consumer, String topic, Duration timeout) {
        if (consumer.partitionsFor(topic, timeout).isEmpty()) {
            return Optional.empty();
        }
        byte[] latest = TopicSnapshot.read(consumer, topic, timeout, (key, value) -> value == null || decodes(value))
                .latest().get(ActiveModel.KEY);
        return latest == null ? Optional.empty() : Optional.of(ActiveModelCodec.decode(latest));
    }

    private static boolean decodes(byte[] activeModel) {
        try {
            ActiveModelCodec.decode(activeModel);
            return true;
        } catch (RecordFormatException e) {
            return false;
        }
    }
}
