package org.arcstream.trainer.gate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Verification figures of one model on one evaluation set. */
public record SetFigures(
        @JsonProperty("images") int images,
        @JsonProperty("same_pairs") int samePairs,
        @JsonProperty("different_pairs") int differentPairs,
        @JsonProperty("auc") double auc,
        @JsonProperty("tar_at_far_1pct") double tarAtFar1) {}
