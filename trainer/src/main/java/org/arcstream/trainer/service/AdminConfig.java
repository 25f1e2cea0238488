package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * HTTP Basic credentials of the admin endpoints (keys under {@code trainer.admin}).
 *
 * @param password required outside the dev and test environments
 */
@ConfigurationProperties("trainer.admin")
public record AdminConfig(@Bindable(defaultValue = "admin") String username, @Nullable String password) {}
