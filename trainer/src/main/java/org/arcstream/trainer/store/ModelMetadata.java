package org.arcstream.trainer.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import org.arcstream.core.topics.RocCurve;

/**
 * What the store keeps beside an ONNX file: its version and digest, the model it was trained from,
 * when, on how much data, the evaluation figures and the gate's decision.
 *
 * @param dataCounts e.g. training images, training identities, held-out identities
 * @param gateDecision {@code accepted}, {@code rejected} or {@code imported} (stored without a gate)
 * @param unpublished why an accepted model was never announced and must not be (null for every other model);
 *     such a model is kept for its lineage but is never a starting model
 * @param roc compact ROC curves per evaluation set, published with the model; null when there are none (imported
 *     models, metadata written before the field existed)
 */
@JsonPropertyOrder({"v", "version", "parent_version", "sha256", "created_at", "data_counts", "metrics", "gate_decision", "gate_reason",
        "unpublished", "roc"})
public record ModelMetadata(
        @JsonProperty("v") int formatVersion,
        @JsonProperty("version") String version,
        @JsonProperty("parent_version") String parentVersion,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("created_at") long createdMillis,
        @JsonProperty("data_counts") Map<String, Integer> dataCounts,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("gate_decision") String gateDecision,
        @JsonProperty("gate_reason") String gateReason,
        @JsonProperty("unpublished") @JsonInclude(JsonInclude.Include.NON_NULL) String unpublished,
        @JsonProperty("roc") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, RocCurve> roc) {

    /** Format version of the metadata file. */
    public static final int FORMAT_VERSION = 1;

    public ModelMetadata {
        dataCounts = dataCounts == null ? Map.of() : Map.copyOf(dataCounts);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        roc = roc == null ? null : Map.copyOf(roc);
    }

    /** Metadata without ROC curves. */
    public ModelMetadata(int formatVersion, String version, String parentVersion, String sha256, long createdMillis,
            Map<String, Integer> dataCounts, Map<String, Double> metrics, String gateDecision, String gateReason, String unpublished) {
        this(formatVersion, version, parentVersion, sha256, createdMillis, dataCounts, metrics, gateDecision, gateReason, unpublished, null);
    }

    /** This model, marked as one that is never to be announced, for that reason. */
    public ModelMetadata withUnpublished(String reason) {
        return new ModelMetadata(formatVersion, version, parentVersion, sha256, createdMillis, dataCounts, metrics, gateDecision,
                gateReason, reason, roc);
    }

    /** True for a model that was meant to be announced on the models topic: accepted by the gate and not withdrawn. */
    public boolean announceable() {
        return "accepted".equals(gateDecision) && unpublished == null;
    }
}
