package org.arcstream.trainer.gate;

import java.util.ArrayList;
import java.util.List;

/**
 * When a fine-tuned model may replace the current one: it is "not worse" when, on every gate set
 * (held-out identities; held-out images of trained identities, when there are any), its verification
 * AUC is at least the current model's minus {@code aucTolerance} AND its TAR at FAR 1% is at least the
 * current model's minus {@code tarTolerance}. Held-out identities guard against forgetting how to tell
 * strangers apart; held-out images guard against memorizing the training photos.
 */
public record GatePolicy(
        @com.fasterxml.jackson.annotation.JsonProperty("auc_tolerance") double aucTolerance,
        @com.fasterxml.jackson.annotation.JsonProperty("tar_tolerance") double tarTolerance) {

    /** The defaults of {@link #defaults()} and of the trainer service's {@code trainer.gate.*} keys. */
    public static final double AUC_TOLERANCE = 0.002;
    public static final double TAR_TOLERANCE = 0.01;

    public GatePolicy {
        if (!(aucTolerance >= 0 && aucTolerance < 1) || !(tarTolerance >= 0 && tarTolerance < 1)) {
            throw new IllegalArgumentException("gate tolerances must lie in [0, 1), got auc " + aucTolerance + ", tar " + tarTolerance);
        }
    }

    /** Default: AUC may drop by 0.002 and TAR at FAR 1% by 0.01 (one pair in a hundred), no more. */
    public static GatePolicy defaults() {
        return new GatePolicy(AUC_TOLERANCE, TAR_TOLERANCE);
    }

    public GateDecision decide(ModelEvaluation current, ModelEvaluation candidate) {
        List<String> failures = new ArrayList<>();
        check("held-out identities", current.heldOutIdentities(), candidate.heldOutIdentities(), failures);
        if (current.heldOutImages() != null && candidate.heldOutImages() != null) {
            check("held-out images", current.heldOutImages(), candidate.heldOutImages(), failures);
        }
        // the pooled figures can rise with the busiest camera while another camera's faces get worse: each camera on its own
        current.heldOutImagesByCamera().forEach((camera, old) -> {
            SetFigures now = candidate.heldOutImagesByCamera().get(camera);
            if (now != null) {
                check("held-out images of camera " + camera, old, now, failures);
            }
        });
        String reason = failures.isEmpty()
                ? "not worse than " + current.modelVersion() + " on every gate set (tolerance: AUC " + aucTolerance + ", TAR " + tarTolerance + ")"
                : String.join("; ", failures);
        return new GateDecision(failures.isEmpty(), reason, this, current, candidate);
    }

    /** The decision for a candidate that could not even be evaluated (e.g. non-finite embeddings). */
    public GateDecision reject(ModelEvaluation current, String why) {
        return new GateDecision(false, why, this, current, null);
    }

    private void check(String set, SetFigures old, SetFigures now, List<String> failures) {
        if (now.auc() < old.auc() - aucTolerance) {
            failures.add(String.format("%s: AUC %.4f < %.4f - %.4f", set, now.auc(), old.auc(), aucTolerance));
        }
        if (now.tarAtFar1() < old.tarAtFar1() - tarTolerance) {
            failures.add(String.format("%s: TAR@FAR1%% %.4f < %.4f - %.4f", set, now.tarAtFar1(), old.tarAtFar1(), tarTolerance));
        }
    }
}
