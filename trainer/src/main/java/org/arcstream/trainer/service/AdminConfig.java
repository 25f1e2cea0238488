package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * HTTP Basic credentials of the admin endpoints (keys under {@code trainer.admin}).
 *
 * @param username user name for HTTP Basic authentication of {@code /admin/**}
 * @param password its password; no default: outside the dev and test environments ({@code MICRONAUT_ENVIRONMENTS=dev})
 *     the service refuses to start without it, in dev a random one is generated and logged
 */
@Context
@ConfigurationProperties("trainer.admin")
public record AdminConfig(@NotBlank @Bindable(defaultValue = "admin") String username, @Nullable String password) {}
