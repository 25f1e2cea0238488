package org.arcstream.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.arcstream.kafka.TopicScan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recognitions operators marked wrong on the labels topic (docs/topics.md, {@code kind: wrong-identity}),
 * as the face they name: identity, camera and capture time. A recognitions record names the same three
 * (its key's identity and camera, its {@code enrolled_at} = the frame's capture time), which is how a run
 * leaves a face marked wrong out of that person's samples. Labels of other kinds and values that do not parse
 * are passed over (counted in the log): a label can only take a sample away, never add one.
 */
public final class WrongRecognitions {

    private static final Logger LOG = LoggerFactory.getLogger(WrongRecognitions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The label kind of a face that is not the identity it was matched to. */
    static final String WRONG_IDENTITY = "wrong-identity";

    private final Set<String> faces;

    private WrongRecognitions(Set<String> faces) {
        this.faces = Set.copyOf(faces);
    }

    /** None marked: every recognition stands. */
    public static WrongRecognitions none() {
        return new WrongRecognitions(Set.of());
    }

    /** Whether an operator said that the face of this camera at this capture time is not this identity. */
    public boolean marked(String identity, String camera, long capturedAt) {
        return faces.contains(face(identity, camera, capturedAt));
    }

    public int size() {
        return faces.size();
    }

    /** The labels topic read to its end; a topic that does not exist (no label was ever written) marks nothing. */
    static WrongRecognitions read(Consumer<String, byte[]> consumer, String topic, Duration stall) {
        if (!TopicPresence.exists(consumer, topic)) {
            LOG.info("no labels topic {}: no recognition is marked wrong", topic);
            return none();
        }
        Set<String> faces = new HashSet<>();
        int[] passedOver = {0};
        long read = TopicScan.read(consumer, topic, stall, r -> {
            if (r.value() == null) {
                return;
            }
            try {
                JsonNode label = JSON.readTree(r.value());
                if (label != null && WRONG_IDENTITY.equals(label.path("kind").asText()) && label.hasNonNull("identity")
                        && label.hasNonNull("camera") && label.path("captured_at").canConvertToLong()) {
                    faces.add(face(label.get("identity").asText(), label.get("camera").asText(), label.get("captured_at").asLong()));
                } else {
                    passedOver[0]++;
                }
            } catch (IOException e) {
                passedOver[0]++;
            }
        });
        LOG.info("read {} labels of {}: {} recognitions marked wrong, {} labels of another kind or unreadable", read, topic,
                faces.size(), passedOver[0]);
        return new WrongRecognitions(faces);
    }

    private static String face(String identity, String camera, long capturedAt) {
        // NUL separates: it is in neither an identity id nor a camera id of any record that decoded
        return identity + '\0' + camera + '\0' + capturedAt;
    }
}
