package org.arcstream.trainer.service;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import java.util.List;
import java.util.Set;
import org.arcstream.core.auth.AdminCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks HTTP Basic credentials against the one configured admin user ({@link AdminCredentials}), as the
 * embedder does. Created at startup ({@link Context}): outside the dev and test environments a service
 * without a password stops at once; those two get a random password that is logged once.
 */
@Context
public final class ConfiguredUserAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUserAuthenticationProvider.class);
    /** Environments where a missing password is replaced by a random one. */
    static final Set<String> ENVIRONMENTS_WITHOUT_CREDENTIALS = Set.of(Environment.DEVELOPMENT, Environment.TEST);

    private final AdminCredentials credentials;

    public ConfiguredUserAuthenticationProvider(AdminConfig admin, Environment environment) {
        boolean mayGenerate = environment.getActiveNames().stream().anyMatch(ENVIRONMENTS_WITHOUT_CREDENTIALS::contains);
        try {
            credentials = AdminCredentials.of(admin.username(), admin.password(), mayGenerate,
                    "TRAINER_ADMIN_PASSWORD (trainer.admin.password)");
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        credentials.generatedPassword().ifPresent(random -> LOG.warn(
                "No admin password configured; {} environment: user '{}' gets the random password {}",
                environment.getActiveNames(), credentials.username(), random));
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        return credentials.matches(auth.getIdentity(), auth.getSecret())
                ? AuthenticationResponse.success(credentials.username(), List.of("admin"))
                : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
}
