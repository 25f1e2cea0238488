package org.arcstream.ingest;

import io.micronaut.runtime.Micronaut;

/** Starts the ingest service: one frame publisher per configured camera, {@code GET /health} and {@code GET /cameras}. */
public final class IngestApplication {

    /**
     * The service's beans are active only in this environment, so that modules which merely use
     * the ingest library (the embedder) do not start cameras or serve {@code /cameras}.
     */
    public static final String ENVIRONMENT = "ingest";

    private IngestApplication() {
    }

    public static void main(String[] args) {
        Logging.useIngestConfiguration();
        Micronaut.build(args).mainClass(IngestApplication.class).banner(false).environments(ENVIRONMENT).start();
    }
}
