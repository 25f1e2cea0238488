package org.arcstream.trainer.service;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP Basic authentication of everything under {@code /admin}. Credentials are compared in constant
 * time; when no password is configured every request is refused, so a forgotten setting fails closed.
 */
@ServerFilter("/admin/**")
public final class AdminAuthFilter {

    private final AdminConfig config;

    public AdminAuthFilter(AdminConfig config) {
        this.config = config;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (config.enabled() && matches(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
            return null;
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"arcstream-trainer\", charset=\"UTF-8\"");
    }

    private boolean matches(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
