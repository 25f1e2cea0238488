package org.arcstream.embedder.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The value of the {@code labels} topic (docs/topics.md): an operator's statement that a face is NOT the
 * identity it was matched to, a labelled negative for the trainer.
 */
@JsonPropertyOrder({"v", "kind", "camera", "sequence", "face", "captured_at", "identity", "score", "model_version",
        "embedding", "marked_at", "marked_by"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LabelRecord(
        @JsonProperty("v") int version,
        @JsonProperty("kind") String kind,
        @JsonProperty("camera") String camera,
        @JsonProperty("sequence") long sequence,
        @JsonProperty("face") int face,
        @JsonProperty("captured_at") long capturedAt,
        @JsonProperty("identity") String identity,
        @JsonProperty("score") float score,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("embedding") float[] embedding,
        @JsonProperty("marked_at") long markedAt,
        @JsonProperty("marked_by") String markedBy) {

    public static final int VERSION = 1;
    /** The face is not {@code identity}. */
    public static final String WRONG_IDENTITY = "wrong-identity";
}
