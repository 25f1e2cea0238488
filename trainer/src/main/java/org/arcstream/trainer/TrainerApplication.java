package org.arcstream.trainer;

import io.micronaut.runtime.Micronaut;

/** Starts the trainer service: scheduled and on-demand fine-tuning runs, run history and model versions over HTTP. */
public final class TrainerApplication {

    private TrainerApplication() {}

    public static void main(String[] args) {
        Micronaut.run(TrainerApplication.class, args);
    }
}
