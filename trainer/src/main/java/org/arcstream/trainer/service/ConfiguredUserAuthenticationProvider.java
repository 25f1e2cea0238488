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
import org.arcstream.trainer.delivery.PublishConfig;
import org.arcstream.trainer.delivery.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks HTTP Basic credentials against the configured admin user ({@link AdminCredentials}), as the
 * embedder does, and the embedders' read-only model user (role {@code model-reader}: model files only). Created at startup ({@link Context}): outside the dev and test environments a service
 * without a password stops at once; those two get a random password that is logged once.
 */
@Context
public final class ConfiguredUserAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUserAuthenticationProvider.class);
    /** Environments where a missing password is replaced by a random one. */
    static final Set<String> ENVIRONMENTS_WITHOUT_CREDENTIALS = Set.of(Environment.DEVELOPMENT, Environment.TEST);

    private final AdminCredentials credentials;
    /** The embedders' read-only model user; null while models are not served over HTTP and no password is set. */
    private final AdminCredentials reader;

    public ConfiguredUserAuthenticationProvider(AdminConfig admin, PublishConfig publish, Environment environment) {
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
        boolean readerWanted = publish.servesOverHttp() || publish.password() != null && !publish.password().isBlank();
        try {
            reader = !readerWanted ? null : AdminCredentials.of(publish.username(), publish.password(), mayGenerate,
                    "TRAINER_PUBLISH_PASSWORD (trainer.publish.password, the embedders' read-only model user)");
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (reader != null && reader.username().equals(credentials.username())) {
            throw new ConfigurationException("trainer.publish.username must differ from trainer.admin.username: the embedders' user may only read models");
        }
        if (reader != null) {
            reader.generatedPassword().ifPresent(random -> LOG.warn(
                    "No model reader password configured; {} environment: user '{}' gets the random password {}",
                    environment.getActiveNames(), reader.username(), random));
        }
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        if (credentials.matches(auth.getIdentity(), auth.getSecret())) {
            return AuthenticationResponse.success(credentials.username(), List.of(Roles.ADMIN));
        }
        if (reader != null && reader.matches(auth.getIdentity(), auth.getSecret())) {
            return AuthenticationResponse.success(reader.username(), List.of(Roles.MODEL_READER));
        }
        return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
}
