package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks HTTP Basic credentials against the one configured admin user, in constant time.
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

    private final String username;
    private final byte[] usernameDigest;
    private final byte[] passwordDigest;

    public ConfiguredUserAuthenticationProvider(AdminProperties admin, Environment environment) {
        String password = admin.password();
        if (!admin.hasPassword()) {
            if (environment.getActiveNames().stream().noneMatch(ENVIRONMENTS_WITHOUT_CREDENTIALS::contains)) {
                throw new ConfigurationException("no admin password is configured: set EMBEDDER_ADMIN_PASSWORD "
                        + "(embedder.admin.password), or run with MICRONAUT_ENVIRONMENTS=dev to get a random one");
            }
            password = randomPassword();
            LOG.warn("No admin password configured; {} environment: user '{}' gets the random password {}",
                    environment.getActiveNames(), admin.username(), password);
        }
        if (admin.username() == null || admin.username().isBlank()) {
            throw new ConfigurationException("embedder.admin.username must not be empty");
        }
        this.username = admin.username();
        this.usernameDigest = sha256(admin.username());
        this.passwordDigest = sha256(password);
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        // comparing digests of equal length, with both results always computed, leaks neither
        // the length nor the matching prefix of the configured values through timing
        boolean userMatches = MessageDigest.isEqual(usernameDigest, sha256(auth.getIdentity()));
        boolean passwordMatches = MessageDigest.isEqual(passwordDigest, sha256(auth.getSecret()));
        if (userMatches & passwordMatches) {
            return AuthenticationResponse.success(username, List.of(ROLE));
        }
        return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
