package org.arcstream.embedder.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password for HTTP Basic (the trainer's read-only model principal); the password never appears in {@link #toString()}. */
public record BasicCredentials(String username, String password) {

    public BasicCredentials {
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            throw new IllegalArgumentException("model download credentials need a user name and a password");
        }
    }

    String authorizationHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "BasicCredentials[username=" + username + ", password=****]";
    }
}
