package org.arcstream.trainer.finetune;

/** Receives the progress of a fine-tuning run: a progress bar in the CLI, structured log lines in the service. */
public interface TrainingProgress {

    /** A new phase begins, e.g. "loading data", "training", "evaluating". */
    void phase(String name);

    /** One optimizer step finished; {@code step} counts from 1 to {@code totalSteps} over the whole run. */
    void step(int epoch, int epochs, int step, int totalSteps, double loss, double accuracy);

    /** Reports nothing. */
    TrainingProgress NONE = new TrainingProgress() {
        @Override
        public void phase(String name) {}

        @Override
        public void step(int epoch, int epochs, int step, int totalSteps, double loss, double accuracy) {}
    };
}
