package org.arcstream.embedder.admin;

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
 * Checks HTTP Basic credentials against the one configured admin user ({@link AdminCredentials}).
 *
 * <p>Created at startup ({@link Context}) so that a service without credentials stops right away
 * instead of at its first request. Only the dev and test environments may run without them; they get a
 * random password that is logged once.
 */
@Context
public final class ConfiguredUserAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUserAuthenticationProvider.class);
    /** Environments where a missing password is replaced by a random one. */
    static final Set<String> ENVIRONMENTS_WITHOUT_CREDENTIALS = Set.of(Environment.DEVELOPMENT, Environment.TEST);
    static final String ROLE = "admin";

    private final AdminCredentials credentials;

    public ConfiguredUserAuthenticationProvider(AdminProperties admin, Environment environment) {
        boolean mayGenerate = environment.getActiveNames().stream().anyMatch(ENVIRONMENTS_WITHOUT_CREDENTIALS::contains);
        try {
            credentials = AdminCredentials.of(admin.username(), admin.password(), mayGenerate,
                    "EMBEDDER_ADMIN_PASSWORD (embedder.admin.password)");
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
                ? AuthenticationResponse.success(credentials.username(), List.of(ROLE))
                : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
}
