package org.arcstream.trainer.gate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The gate's verdict with the reason and both models' figures, as recorded in the run history. */
public record GateDecision(
        @JsonProperty("accepted") boolean accepted,
        @JsonProperty("reason") String reason,
        @JsonProperty("policy") GatePolicy policy,
        @JsonProperty("current") ModelEvaluation current,
        @JsonProperty("candidate") ModelEvaluation candidate) {

    public String label() {
        return accepted ? "accepted" : "rejected";
    }
}
