package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The admin API (keys {@code embedder.admin.*}).
 *
 * @param username user name for HTTP Basic authentication
 * @param password its password; required outside the dev and test environments
 * @param recentMatches how many of the latest matches the API keeps for {@code GET /admin/matches}
 * @param maxImagesPerEnrollment images accepted in one enrollment request
 */
@ConfigurationProperties("embedder.admin")
public record AdminProperties(
        @Bindable(defaultValue = "admin") String username,
        @Nullable String password,
        @Bindable(defaultValue = "100") int recentMatches,
        @Bindable(defaultValue = "20") int maxImagesPerEnrollment) {

    public AdminProperties {
        if (recentMatches < 1) {
            throw new IllegalArgumentException("embedder.admin.recent-matches must be at least 1, got " + recentMatches);
        }
        if (maxImagesPerEnrollment < 1) {
            throw new IllegalArgumentException(
                    "embedder.admin.max-images-per-enrollment must be at least 1, got " + maxImagesPerEnrollment);
        }
    }

    public boolean hasPassword() {
        return password != null && !password.isBlank();
    }
}
