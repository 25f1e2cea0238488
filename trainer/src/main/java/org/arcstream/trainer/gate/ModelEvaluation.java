package org.arcstream.trainer.gate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.eval.ScoredPair;

/**
 * One model's figures on the two gate sets: identities training never saw, and unseen images of the
 * trained identities (absent when no images were held out), the latter also per camera of the held-out
 * image, for the images whose camera is known (empty when none is). The scored pairs are kept for ROC plots.
 */
public record ModelEvaluation(
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("heldout_identities") SetFigures heldOutIdentities,
        @JsonProperty("heldout_images") SetFigures heldOutImages,
        @JsonIgnore List<ScoredPair> heldOutIdentityPairs,
        @JsonIgnore List<ScoredPair> heldOutImagePairs,
        @JsonProperty("heldout_images_by_camera") Map<String, SetFigures> heldOutImagesByCamera) {

    public ModelEvaluation {
        heldOutImagesByCamera = heldOutImagesByCamera == null ? Map.of() : Map.copyOf(heldOutImagesByCamera);
    }

    /** An evaluation without per-camera figures. */
    public ModelEvaluation(String modelVersion, SetFigures heldOutIdentities, SetFigures heldOutImages,
            List<ScoredPair> heldOutIdentityPairs, List<ScoredPair> heldOutImagePairs) {
        this(modelVersion, heldOutIdentities, heldOutImages, heldOutIdentityPairs, heldOutImagePairs, Map.of());
    }

    /** Flat metric names as used in model metadata and model events. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("heldout_identities.auc", heldOutIdentities.auc());
        m.put("heldout_identities.tar_at_far_1pct", heldOutIdentities.tarAtFar1());
        if (heldOutImages != null) {
            m.put("heldout_images.auc", heldOutImages.auc());
            m.put("heldout_images.tar_at_far_1pct", heldOutImages.tarAtFar1());
        }
        return m;
    }
}
