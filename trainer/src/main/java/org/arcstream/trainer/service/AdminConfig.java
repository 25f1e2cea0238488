package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** HTTP Basic credentials of the admin endpoints (keys under {@code trainer.admin}); no password means no access. */
@ConfigurationProperties("trainer.admin")
public record AdminConfig(String username, @Nullable String password) {

    public boolean enabled() {
        return password != null && !password.isEmpty();
    }
}
