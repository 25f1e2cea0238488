package org.arcstream.trainer.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.arcstream.trainer.finetune.RunReport;

/** A training run as the service reports it: where it stands, and its report once it has finished. */
public record RunStatus(
        @JsonProperty("id") String id,
        @JsonProperty("trigger") String trigger,
        @JsonProperty("state") State state,
        @JsonProperty("phase") String phase,
        @JsonProperty("step") int step,
        @JsonProperty("total_steps") int totalSteps,
        @JsonProperty("last_loss") Double lastLoss,
        @JsonProperty("queued_at") long queuedAtMillis,
        @JsonProperty("started_at") Long startedAtMillis,
        @JsonProperty("finished_at") Long finishedAtMillis,
        @JsonProperty("error") String error,
        @JsonProperty("report") RunReport report) {

    /** Lifecycle of a run; a rejected model is a succeeded run whose report says so. */
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    static RunStatus queued(String id, String trigger, long now) {
        return new RunStatus(id, trigger, State.QUEUED, "queued", 0, 0, null, now, null, null, null, null);
    }

    RunStatus started(long now) {
        return new RunStatus(id, trigger, State.RUNNING, "starting", 0, 0, null, queuedAtMillis, now, null, null, null);
    }

    RunStatus phase(String name) {
        return new RunStatus(id, trigger, state, name, step, totalSteps, lastLoss, queuedAtMillis, startedAtMillis, null, null, null);
    }

    RunStatus step(int step, int totalSteps, double loss) {
        return new RunStatus(id, trigger, state, phase, step, totalSteps, loss, queuedAtMillis, startedAtMillis, null, null, null);
    }

    RunStatus succeeded(RunReport report, long now) {
        return new RunStatus(id, trigger, State.SUCCEEDED, "done", step, totalSteps, lastLoss, queuedAtMillis, startedAtMillis, now, null, report);
    }

    RunStatus failed(String error, long now) {
        return new RunStatus(id, trigger, State.FAILED, phase, step, totalSteps, lastLoss, queuedAtMillis, startedAtMillis, now, error, null);
    }

    boolean active() {
        return state == State.QUEUED || state == State.RUNNING;
    }
}
