package org.arcstream.embedder;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.arcstream.ingest.ServiceArguments;

/** Starts the embedder service: the Kafka Streams embedder and matcher, and its admin API. */
@OpenAPIDefinition(
        info = @Info(title = "arcstream-embedder", version = "1",
                description = "Admin API of the arcstream embedder: gallery enrollment, match threshold, recent matches and counters"),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public final class EmbedderApplication {

    private EmbedderApplication() {
    }

    /** {@code --bootstrap-servers H:P} is the short form of {@code --embedder.kafka.bootstrap-servers=H:P}. */
    public static void main(String[] args) {
        ServiceArguments parsed = ServiceArguments.parse(args, "embedder.kafka.bootstrap-servers");
        Micronaut.build(parsed.micronaut()).mainClass(EmbedderApplication.class).banner(false).properties(parsed.properties()).start();
    }
}
