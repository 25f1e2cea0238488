package org.arcstream.embedder.model;

import java.util.Map;

/**
 * One embedding model version as this instance knows it: what its event said, and where it stands.
 *
 * @param location URI of the ONNX file ({@code file:}); for the model the instance was started with, its path
 * @param dimension embedding length, once the model was checked; 0 before
 * @param reason why it is refused, or what happened last (for the admin API); may be null
 */
public record ModelEntry(String version, String parentVersion, String sha256, String location, Map<String, Double> metrics,
        long createdMillis, ModelState state, String reason, int dimension) {

    public ModelEntry {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    ModelEntry with(ModelState newState, String newReason) {
        return new ModelEntry(version, parentVersion, sha256, location, metrics, createdMillis, newState, newReason, dimension);
    }

    ModelEntry withDimension(int value) {
        return new ModelEntry(version, parentVersion, sha256, location, metrics, createdMillis, state, reason, value);
    }
}
