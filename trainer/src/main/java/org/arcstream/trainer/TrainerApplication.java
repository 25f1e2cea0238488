package org.arcstream.trainer;

import io.micronaut.runtime.Micronaut;
import org.arcstream.ingest.ServiceArguments;

/** Starts the trainer service: scheduled and on-demand fine-tuning runs, run history and model versions over HTTP. */
public final class TrainerApplication {

    private TrainerApplication() {}

    /** {@code --bootstrap-servers H:P} is the short form of {@code --trainer.bootstrap-servers=H:P}. */
    public static void main(String[] args) {
        ServiceArguments parsed = ServiceArguments.parse(args, "trainer.bootstrap-servers");
        Micronaut.build(parsed.micronaut()).mainClass(TrainerApplication.class).banner(false).properties(parsed.properties()).start();
    }
}
