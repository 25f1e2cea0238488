package org.arcstream.embedder;

import io.micronaut.runtime.Micronaut;

/** Starts the embedder service: the HTTP server with its health endpoint. */
public final class EmbedderApplication {

    private EmbedderApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(EmbedderApplication.class, args);
    }
}
