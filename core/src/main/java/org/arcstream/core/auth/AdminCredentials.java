package org.arcstream.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The one admin user of a service's HTTP API and its password, checked in constant time. There is no
 * default password: without one the service must not start, except where the caller allows a random
 * password (the dev and test environments), which is then known to the caller alone.
 */
public final class AdminCredentials {

    private final String username;
    private final byte[] usernameDigest;
    private final byte[] passwordDigest;
    private final String generatedPassword;

    private AdminCredentials(String username, String password, String generatedPassword) {
        this.username = username;
        this.usernameDigest = sha256(username);
        this.passwordDigest = sha256(password);
        this.generatedPassword = generatedPassword;
    }

    /**
     * @param password null or blank means none
     * @param randomWhenMissing whether a missing password is replaced by a random one
     * @param passwordSetting how an operator sets the password, for the error (e.g. {@code TRAINER_ADMIN_PASSWORD (trainer.admin.password)})
     * @throws IllegalArgumentException when the user name is empty, or the password is missing and may not be generated
     */
    public static AdminCredentials of(String username, String password, boolean randomWhenMissing, String passwordSetting) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("the admin user name must not be empty");
        }
        if (password != null && !password.isBlank()) {
            return new AdminCredentials(username, password, null);
        }
        if (!randomWhenMissing) {
            throw new IllegalArgumentException("no admin password is configured: set " + passwordSetting
                    + ", or run with MICRONAUT_ENVIRONMENTS=dev to get a random one");
        }
        String random = randomPassword();
        return new AdminCredentials(username, random, random);
    }

    public String username() {
        return username;
    }

    /** The random password made because none was configured, for the caller to show once; empty otherwise. */
    public Optional<String> generatedPassword() {
        return Optional.ofNullable(generatedPassword);
    }

    /** Whether both match; null counts as empty. */
    public boolean matches(String user, String password) {
        // digests of equal length, both always compared: the time leaks neither the length nor a matching prefix
        boolean userMatches = MessageDigest.isEqual(usernameDigest, sha256(user));
        boolean passwordMatches = MessageDigest.isEqual(passwordDigest, sha256(password));
        return userMatches & passwordMatches;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
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
