package org.arcstream.embedder;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** Starts the embedder service: the Kafka Streams embedder and matcher, and its admin API. */
@OpenAPIDefinition(
        info = @Info(title = "arcstream-embedder", version = "1",
                description = "Admin API of the arcstream embedder: gallery enrollment, match threshold, recent matches and counters"),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public final class EmbedderApplication {

    private EmbedderApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(EmbedderApplication.class, args);
    }
}
