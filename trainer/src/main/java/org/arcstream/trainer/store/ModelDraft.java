package org.arcstream.trainer.store;

import java.nio.file.Path;
import java.util.Map;

/** A model about to be stored: the ONNX file and what is known about it before it has a version. */
public record ModelDraft(Path onnxFile, String parentVersion, Map<String, Integer> dataCounts,
        Map<String, Double> metrics, String gateDecision, String gateReason) {

    /** A model stored as is, without training or a gate (e.g. the first model of a new store). */
    public static ModelDraft imported(Path onnxFile) {
        return new ModelDraft(onnxFile, null, Map.of(), Map.of(), "imported", "stored without training");
    }
}
