package org.arcstream.trainer.store;

import java.nio.file.Path;
import java.util.Map;
import org.arcstream.core.topics.RocCurve;

/**
 * A model about to be stored: the ONNX file and what is known about it before it has a version.
 *
 * @param roc compact ROC curves per evaluation set; null when there are none (imported models)
 */
public record ModelDraft(Path onnxFile, String parentVersion, Map<String, Integer> dataCounts,
        Map<String, Double> metrics, String gateDecision, String gateReason, Map<String, RocCurve> roc) {

    /** A draft without ROC curves. */
    public ModelDraft(Path onnxFile, String parentVersion, Map<String, Integer> dataCounts, Map<String, Double> metrics,
            String gateDecision, String gateReason) {
        this(onnxFile, parentVersion, dataCounts, metrics, gateDecision, gateReason, null);
    }

    /** A model stored as is, without training or a gate (e.g. the first model of a new store). */
    public static ModelDraft imported(Path onnxFile) {
        return new ModelDraft(onnxFile, null, Map.of(), Map.of(), "imported", "stored without training");
    }
}
