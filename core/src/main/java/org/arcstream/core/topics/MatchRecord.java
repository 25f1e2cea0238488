package org.arcstream.core.topics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The value of the matches topic, as JSON for consumers: which face of which frame, who it is
 * ({@value #UNKNOWN} below the threshold), the best and runner-up scores, the threshold and model version.
 */
@JsonPropertyOrder({"v", "camera", "sequence", "partition", "offset", "captured_at", "face", "box",
        "identity", "name", "score", "runner_up_score", "threshold", "model_version"})
public record MatchRecord(
        @JsonProperty("v") int version,
        @JsonProperty("camera") String camera,
        @JsonProperty("sequence") long sequence,
        @JsonProperty("partition") int partition,
        @JsonProperty("offset") long offset,
        @JsonProperty("captured_at") long capturedAt,
        @JsonProperty("face") int face,
        @JsonProperty("box") float[] box,
        @JsonProperty("identity") String identity,
        @JsonProperty("name") String name,
        @JsonProperty("score") float score,
        @JsonProperty("runner_up_score") float runnerUpScore,
        @JsonProperty("threshold") float threshold,
        @JsonProperty("model_version") String modelVersion) {

    /** Format version written into every value. */
    public static final int VERSION = 1;
    /** The identity of a face that matched nobody. */
    public static final String UNKNOWN = "unknown";

    public boolean known() {
        return !UNKNOWN.equals(identity);
    }
}
