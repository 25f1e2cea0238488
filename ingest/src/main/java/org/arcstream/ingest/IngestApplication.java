package org.arcstream.ingest;

import io.micronaut.runtime.Micronaut;
import java.io.PrintStream;
import java.util.Optional;
import org.arcstream.kafka.ServiceArguments;

/** Starts the ingest service: one frame publisher per configured camera, {@code GET /health} and {@code GET /cameras}. */
public final class IngestApplication {

    /**
     * The service's beans are active only in this environment, so that modules which merely use
     * the ingest library (the embedder) do not start cameras or serve {@code /cameras}.
     */
    public static final String ENVIRONMENT = "ingest";

    private IngestApplication() {
    }

    static final ServiceArguments.Usage USAGE = new ServiceArguments.Usage("org.arcstream.ingest.IngestApplication",
            "Runs the ingest service: one frame publisher per configured camera, GET /health and GET /cameras.",
            "ingest/src/main/resources/application.yml", "ingest.cameras.gate-1.source=rtsp://...",
            "INGEST_BOOTSTRAP_SERVERS, INGEST_CAMERAS_<ID>_SOURCE, MICRONAUT_SERVER_PORT, ...");

    /** {@code --bootstrap-servers H:P} is the short form of {@code --ingest.bootstrap-servers=H:P}; {@code --help} prints the usage. */
    public static void main(String[] args) {
        arguments(args, System.out).ifPresent(parsed -> {
            Logging.useIngestConfiguration();
            Micronaut.build(parsed.micronaut()).mainClass(IngestApplication.class).banner(false).environments(ENVIRONMENT)
                    .properties(parsed.properties()).start();
        });
    }

    /** The arguments to start with; empty (usage printed on {@code out}) when they ask for help. */
    static Optional<ServiceArguments> arguments(String[] args, PrintStream out) {
        return ServiceArguments.parseOrPrintHelp(args, "ingest.bootstrap-servers", USAGE, out);
    }
}
