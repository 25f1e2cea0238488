package org.arcstream.trainer;

import io.micronaut.runtime.Micronaut;
import java.io.PrintStream;
import java.util.Optional;
import org.arcstream.kafka.ServiceArguments;

/** Starts the trainer service: scheduled and on-demand fine-tuning runs, run history and model versions over HTTP. */
public final class TrainerApplication {

    static final ServiceArguments.Usage USAGE = new ServiceArguments.Usage("arcstream trainer",
            "Runs the trainer service: scheduled and on-demand fine-tuning runs (POST /admin/runs), run history and\n"
                    + "model versions over HTTP (port 8081). Training data: --trainer.gallery-dir=DIR or the enrollment topic.",
            "trainer/README.md, \"Configuration reference\"", "trainer.gallery-dir=/data/gallery",
            "TRAINER_BOOTSTRAP_SERVERS, TRAINER_GALLERY_DIR, TRAINER_ADMIN_PASSWORD, MICRONAUT_SERVER_PORT, ...");

    private TrainerApplication() {}

    /** {@code --bootstrap-servers H:P} is the short form of {@code --trainer.bootstrap-servers=H:P}; {@code --help} prints the usage. */
    public static void main(String[] args) {
        arguments(args, System.out).ifPresent(parsed ->
                Micronaut.build(parsed.micronaut()).mainClass(TrainerApplication.class).banner(false).properties(parsed.properties()).start());
    }

    /** The arguments to start with; empty (usage printed on {@code out}) when they ask for help. */
    static Optional<ServiceArguments> arguments(String[] args, PrintStream out) {
        return ServiceArguments.parseOrPrintHelp(args, "trainer.bootstrap-servers", USAGE, out);
    }
}
