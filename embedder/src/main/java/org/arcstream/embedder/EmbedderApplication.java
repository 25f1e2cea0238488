package org.arcstream.embedder;

import io.micronaut.runtime.Micronaut;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** {@code --bootstrap-servers H:P} is the short form of {@code --embedder.kafka.bootstrap-servers=H:P}. */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>();
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--bootstrap-servers") && i + 1 < args.length) {
                properties.put("embedder.kafka.bootstrap-servers", args[++i]);
            } else if (args[i].startsWith("--bootstrap-servers=")) {
                properties.put("embedder.kafka.bootstrap-servers", args[i].substring("--bootstrap-servers=".length()));
            } else {
                rest.add(args[i]);
            }
        }
        Micronaut.build(rest.toArray(String[]::new)).mainClass(EmbedderApplication.class).properties(properties).start();
    }
}
