package org.arcstream.trainer.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * What the store keeps beside an ONNX file: its version and digest, the model it was trained from,
 * when, on how much data, the evaluation figures and the gate's decision.
 *
 * @param dataCounts e.g. training images, training identities, held-out identities
 * @param gateDecision {@code accepted}, {@code rejected} or {@code imported} (stored without a gate)
 */
@JsonPropertyOrder({"v", "version", "parent_version", "sha256", "created_at", "data_counts", "metrics", "gate_decision", "gate_reason"})
public record ModelMetadata(
        @JsonProperty("v") int formatVersion,
        @JsonProperty("version") String version,
        @JsonProperty("parent_version") String parentVersion,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("created_at") long createdMillis,
        @JsonProperty("data_counts") Map<String, Integer> dataCounts,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("gate_decision") String gateDecision,
        @JsonProperty("gate_reason") String gateReason) {

    /** Format version of the metadata file. */
    public static final int FORMAT_VERSION = 1;

    public ModelMetadata {
        dataCounts = dataCounts == null ? Map.of() : Map.copyOf(dataCounts);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
