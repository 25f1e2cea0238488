package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The admin API (keys {@code embedder.admin.*}).
 *
 * @param username user name for HTTP Basic authentication of everything but {@code /health}
 * @param password its password; no default: outside the dev and test environments ({@code MICRONAUT_ENVIRONMENTS=dev})
 *     the service refuses to start without it, in dev a random one is generated and logged
 * @param recentMatches how many of the latest matches the API keeps for {@code GET /admin/matches}
 * @param maxImagesPerEnrollment images accepted in one enrollment request
 * @param enrollmentUploadBudget bytes of uploaded images all enrollment requests together may hold in memory;
 *        a request whose declared length, or an image that, goes beyond it is answered 503
 */
@Context
@ConfigurationProperties("embedder.admin")
public record AdminProperties(
        @NotBlank @Bindable(defaultValue = "admin") String username,
        @Nullable String password,
        @Min(1) @Bindable(defaultValue = "100") int recentMatches,
        @Min(1) @Bindable(defaultValue = "20") int maxImagesPerEnrollment,
        @Min(1) @Bindable(defaultValue = "64MB") @ReadableBytes long enrollmentUploadBudget) {

    public boolean hasPassword() {
        return password != null && !password.isBlank();
    }
}
