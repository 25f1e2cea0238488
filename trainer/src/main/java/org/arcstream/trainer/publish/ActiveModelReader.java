package org.arcstream.trainer.publish;

import java.time.Duration;
import java.util.Optional;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.RecordFormatException;
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
        return TopicReads.snapshot(kafka, topic, timeout, (key, value) -> ActiveModel.KEY.equals(key) && (value == null || decodes(value)))
                .map(s -> s.latest().get(ActiveModel.KEY))
                .map(value -> ActiveModelCodec.decode(value).active());
    }

    private static boolean decodes(byte[] value) {
        try {
            ActiveModelCodec.decode(value);
            return true;
        } catch (RecordFormatException e) {
            return false;
        }
    }
}
