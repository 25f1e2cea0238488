package org.arcstream.embedder.model;

import java.util.Map;
import org.arcstream.core.topics.RocCurve;

/**
 * One embedding model version as this instance knows it: what its event said, and where it stands.
 *
 * @param location URI of the ONNX file ({@code file:}); for the model the instance was started with, its path
 * @param dimension embedding length, once the model was checked; 0 before
 * @param reason why it is refused, or what happened last (for the admin API); may be null
 * @param roc the compact ROC curves of its event, per evaluation set; null when it published none
 */
public record ModelEntry(String version, String parentVersion, String sha256, String location, Map<String, Double> metrics,
        long createdMillis, ModelState state, String reason, int dimension, Map<String, RocCurve> roc) {

    public ModelEntry {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        roc = roc == null ? null : Map.copyOf(roc);
    }

    /** An entry without ROC curves (the model an instance starts with). */
    public ModelEntry(String version, String parentVersion, String sha256, String location, Map<String, Double> metrics,
            long createdMillis, ModelState state, String reason, int dimension) {
        this(version, parentVersion, sha256, location, metrics, createdMillis, state, reason, dimension, null);
    }

    ModelEntry with(ModelState newState, String newReason) {
        return new ModelEntry(version, parentVersion, sha256, location, metrics, createdMillis, newState, newReason, dimension, roc);
    }

    ModelEntry withDimension(int value) {
        return new ModelEntry(version, parentVersion, sha256, location, metrics, createdMillis, state, reason, value, roc);
    }
}
