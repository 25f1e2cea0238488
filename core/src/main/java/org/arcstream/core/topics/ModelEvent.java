package org.arcstream.core.topics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.Objects;
import org.arcstream.core.embed.Preprocessing;

/**
 * The value of the models topic: a new embedding model was published, where to fetch it, how to
 * verify it, which model it was trained from and the figures that let it pass the gate.
 *
 * @param modelVersion the first 12 hex digits of {@code sha256}, as elsewhere in the pipeline
 * @param parentVersion the model it was fine-tuned from; null for a model that was imported as is
 * @param location a URI of the ONNX file (for the filesystem store a {@code file:} URI)
 * @param metrics named figures of the evaluation, e.g. {@code heldout_identities.auc}
 * @param createdMillis epoch milliseconds
 * @param preprocessing how the model's input is prepared, as its ONNX metadata states it; null in events written
 *     before the field existed (the ONNX file's metadata is authoritative either way)
 * @param roc a compact ROC curve per evaluation set (e.g. {@code heldout_identities}), for plotting; null when
 *     none was published (imported models, events written before the field existed)
 */
@JsonPropertyOrder({"v", "model_version", "parent_version", "sha256", "location", "metrics", "created_at", "preprocessing", "roc"})
public record ModelEvent(
        @JsonProperty("v") int version,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("parent_version") String parentVersion,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("location") String location,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("created_at") long createdMillis,
        @JsonProperty("preprocessing") @JsonInclude(JsonInclude.Include.NON_NULL) Preprocessing preprocessing,
        @JsonProperty("roc") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, RocCurve> roc) {

    /** Format version written into every value. */
    public static final int VERSION = 1;

    public ModelEvent {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        roc = roc == null ? null : Map.copyOf(roc);
    }

    /** A version-1 event without preprocessing; checks that the version is the sha256 prefix. */
    public static ModelEvent of(String sha256, String parentVersion, String location, Map<String, Double> metrics, long createdMillis) {
        return of(sha256, parentVersion, location, metrics, createdMillis, null);
    }

    /** A version-1 event without ROC curves; checks that the version is the sha256 prefix. */
    public static ModelEvent of(String sha256, String parentVersion, String location, Map<String, Double> metrics, long createdMillis,
            Preprocessing preprocessing) {
        return of(sha256, parentVersion, location, metrics, createdMillis, preprocessing, null);
    }

    /** A version-1 event; checks that the version is the sha256 prefix. */
    public static ModelEvent of(String sha256, String parentVersion, String location, Map<String, Double> metrics, long createdMillis,
            Preprocessing preprocessing, Map<String, RocCurve> roc) {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(location, "location");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
        }
        return new ModelEvent(VERSION, sha256.substring(0, 12), parentVersion, sha256, location, metrics, createdMillis, preprocessing, roc);
    }
}
