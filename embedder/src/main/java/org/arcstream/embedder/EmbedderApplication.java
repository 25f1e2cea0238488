package org.arcstream.embedder;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.io.PrintStream;
import java.util.Optional;
import org.arcstream.kafka.ServiceArguments;

/** Starts the embedder service: the Kafka Streams embedder and matcher, and its admin API. */
@OpenAPIDefinition(
        info = @Info(title = "arcstream-embedder", version = "1",
                description = "Admin API of the arcstream embedder: gallery enrollment, match threshold, recent matches and counters"),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public final class EmbedderApplication {

    static final ServiceArguments.Usage USAGE = new ServiceArguments.Usage("arcstream embedder",
            "Runs the embedder service: the Kafka Streams embedder and matcher, model hot-swap and the admin API\n"
                    + "(port 8080; outside dev and test it needs an admin password).",
            "embedder/README.md, \"Configuration reference\"", "embedder.admin.password=...",
            "EMBEDDER_KAFKA_BOOTSTRAP_SERVERS, EMBEDDER_ADMIN_PASSWORD, MICRONAUT_SERVER_PORT, ARCSTREAM_* (face pipeline), ...");

    private EmbedderApplication() {
    }

    /** {@code --bootstrap-servers H:P} is the short form of {@code --embedder.kafka.bootstrap-servers=H:P}; {@code --help} prints the usage. */
    public static void main(String[] args) {
        arguments(args, System.out).ifPresent(parsed ->
                Micronaut.build(parsed.micronaut()).mainClass(EmbedderApplication.class).banner(false).properties(parsed.properties()).start());
    }

    /** The arguments to start with; empty (usage printed on {@code out}) when they ask for help. */
    static Optional<ServiceArguments> arguments(String[] args, PrintStream out) {
        return ServiceArguments.parseOrPrintHelp(args, "embedder.kafka.bootstrap-servers", USAGE, out);
    }
}
