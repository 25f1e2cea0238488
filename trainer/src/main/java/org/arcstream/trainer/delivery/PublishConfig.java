package org.arcstream.trainer.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.nio.file.Path;
import org.arcstream.trainer.store.ModelLocations;

/**
 * How the embedders get the trainer's models (keys under {@code trainer.publish}; trainer/README.md, "Model delivery").
 *
 * @param baseUrl the URL the embedders reach this service at, e.g. {@code http://trainer.arcstream.svc}: events then
 *     carry {@code <base-url>/models/VERSION.onnx}, served by {@code GET /models/VERSION.onnx}; unset = events carry the
 *     store's {@code file:} path (embedders that share the store's disk, as the in-process demo)
 * @param username the read-only user the embedders download with; it may read model files and nothing else
 * @param password its password ({@code TRAINER_PUBLISH_PASSWORD}, from a Secret); no default: with a base URL and
 *     outside the dev and test environments the service refuses to start without it
 */
@Context
@ConfigurationProperties("trainer.publish")
public record PublishConfig(@Nullable String baseUrl, @NotBlank @Bindable(defaultValue = "model-reader") String username,
        @Nullable String password) {

    public PublishConfig {
        if (baseUrl != null && !baseUrl.isBlank()) {
            URI uri;
            try {
                uri = URI.create(baseUrl.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trainer.publish.base-url is not a URL: '" + baseUrl + "'");
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("trainer.publish.base-url must be an http(s) URL with a host, got '" + baseUrl + "'");
            }
        }
    }

    public boolean servesOverHttp() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    /** Where the events send the embedders: this service's model endpoint, or the store's files. */
    public ModelLocations locations() {
        if (!servesOverHttp()) {
            return ModelLocations.FILE;
        }
        String base = baseUrl.trim().replaceAll("/+$", "");
        return (String version, Path file) -> URI.create(base + ModelFileController.PATH + "/" + version + ".onnx");
    }

    @Override
    public String toString() {
        return "PublishConfig[baseUrl=" + baseUrl + ", username=" + username + ", password=****]";
    }
}
