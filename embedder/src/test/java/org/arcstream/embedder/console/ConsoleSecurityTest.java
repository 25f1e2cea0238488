package org.arcstream.embedder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.arcstream.embedder.match.MatchThreshold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's protections over real HTTP, without a stream: the same credentials as the admin API, the
 * security headers, and the CSRF rule on state-changing requests (here {@code PUT /admin/threshold}).
 */
@MicronautTest
@Property(name = "micronaut.server.port", value = "-1")
@Property(name = "embedder.stream.enabled", value = "false")
@Property(name = "embedder.admin.username", value = ConsoleSecurityTest.USER)
@Property(name = "embedder.admin.password", value = ConsoleSecurityTest.PASSWORD)
class ConsoleSecurityTest {

    static final String USER = "operator";
    static final String PASSWORD = "console-test-password";
    private static final float INITIAL = 0.38f;

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    MatchThreshold threshold;

    @AfterEach
    void resetThreshold() {
        threshold.set(INITIAL);
    }

    @Test
    void pagesAndScriptsNeedTheAdminCredentials() {
        for (String path : List.of("/console/", "/console/index.html", "/console/js/app.js", "/console/console.css",
                "/console/api/session")) {
            assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET(path)), path + " without credentials");
            assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET(path).basicAuth(USER, PASSWORD + "x")), path);
            assertEquals(HttpStatus.OK, status(authed(HttpRequest.GET(path))), path + " with credentials");
        }
        HttpResponse<String> page = http().exchange(authed(HttpRequest.GET("/console/")), String.class);
        assertTrue(page.body().contains("<script type=\"module\" src=\"/console/js/app.js\">"), "the page loads its module");
        assertTrue(page.getContentType().orElseThrow().toString().startsWith("text/html"));
        HttpResponse<String> script = http().exchange(authed(HttpRequest.GET("/console/js/app.js")), String.class);
        assertTrue(script.getContentType().orElseThrow().toString().contains("javascript"),
                "module scripts run only when served as JavaScript: " + script.getContentType());
    }

    @Test
    void theBarePathServesThePageToo() {
        HttpResponse<String> response = http().exchange(authed(HttpRequest.GET("/console")), String.class);
        assertTrue(response.body().contains("arcstream console"), response.body());
    }

    @Test
    void everyConsoleResponseCarriesTheContentSecurityPolicy() {
        for (String path : List.of("/console/", "/console/js/api.js", "/console/api/session")) {
            HttpResponse<String> response = http().exchange(authed(HttpRequest.GET(path)), String.class);
            String csp = response.getHeaders().get("Content-Security-Policy");
            assertNotNull(csp, path);
            assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'")
                    && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("nosniff", response.getHeaders().get("X-Content-Type-Options"), path);
        }
    }

    @Test
    void theSessionGivesATokenAndTheSameTokenAsAnHttpOnlyCookie() {
        HttpResponse<Map> response = http().exchange(authed(HttpRequest.GET("/console/api/session")), Map.class);
        String token = (String) response.body().get("csrf_token");
        assertEquals(USER, response.body().get("user"));
        assertTrue(CsrfRule.wellFormed(token), token);
        String setCookie = response.getHeaders().get("Set-Cookie");
        assertTrue(setCookie.startsWith(CsrfRule.COOKIE + "=" + token), setCookie);
        assertTrue(setCookie.toLowerCase().contains("httponly") && setCookie.contains("SameSite=Strict"), setCookie);

        // a session that already has a cookie keeps its token; another session gets another one
        HttpResponse<Map> again = http().exchange(authed(HttpRequest.GET("/console/api/session"))
                .cookie(Cookie.of(CsrfRule.COOKIE, token)), Map.class);
        assertEquals(token, again.body().get("csrf_token"));
        String other = (String) http().exchange(authed(HttpRequest.GET("/console/api/session")), Map.class).body().get("csrf_token");
        assertNotEquals(token, other);
    }

    @Test
    void browserRequestsThatChangeStateNeedTheToken() {
        String token = session();
        List<MutableHttpRequest<?>> refused = List.of(
                put().header("Origin", "http://localhost"),
                put().header("Sec-Fetch-Site", "cross-site"),
                put().header("Sec-Fetch-Mode", "navigate"),
                put().cookie(Cookie.of(CsrfRule.COOKIE, token)),
                // a page of another origin may guess where the token goes, not what it is, nor set the cookie
                put().header("Origin", "http://localhost:9").header(CsrfRule.HEADER, token),
                put().header("Origin", "http://localhost").cookie(Cookie.of(CsrfRule.COOKIE, token))
                        .header(CsrfRule.HEADER, session()),
                put().header("Sec-Fetch-Site", "same-origin").cookie(Cookie.of(CsrfRule.COOKIE, "short"))
                        .header(CsrfRule.HEADER, "short"));
        for (MutableHttpRequest<?> request : refused) {
            HttpClientResponseException e = error(request);
            assertEquals(HttpStatus.FORBIDDEN, e.getStatus(), request.getHeaders().asMap().toString());
            String body = e.getResponse().getBody(String.class).orElse("");
            assertTrue(body.contains(CsrfRule.HEADER), "the refusal says why: " + body);
            assertEquals(INITIAL, threshold.get(), "a refused request changes nothing");
        }

        HttpResponse<String> ok = http().exchange(put().header("Origin", "http://localhost").header("Sec-Fetch-Site", "same-origin")
                .cookie(Cookie.of(CsrfRule.COOKIE, token)).header(CsrfRule.HEADER, token), String.class);
        assertEquals(HttpStatus.OK, ok.getStatus());
        assertEquals(0.5f, threshold.get());
    }

    @Test
    void stateChangingRequestsWithoutCredentialsAreRefusedEvenWithTheToken() {
        String token = session();
        MutableHttpRequest<?> request = HttpRequest.PUT("/admin/threshold", Map.of("threshold", 0.5))
                .header("Origin", "http://localhost").cookie(Cookie.of(CsrfRule.COOKIE, token)).header(CsrfRule.HEADER, token);
        assertEquals(HttpStatus.UNAUTHORIZED, error(request).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, error(HttpRequest.PUT("/admin/threshold", Map.of("threshold", 0.5))).getStatus());
        assertEquals(INITIAL, threshold.get());
    }

    /** Programs (curl, scripts) send no browser headers and no cookie: HTTP Basic alone, as before the console. */
    @Test
    void programsKeepUsingHttpBasicAlone() {
        assertEquals(HttpStatus.OK, http().exchange(put(), String.class).getStatus());
        assertEquals(0.5f, threshold.get());
    }

    private MutableHttpRequest<?> put() {
        return authed(HttpRequest.PUT("/admin/threshold", Map.of("threshold", 0.5)));
    }

    private String session() {
        return (String) http().retrieve(authed(HttpRequest.GET("/console/api/session")), Map.class).get("csrf_token");
    }

    private HttpClientResponseException error(MutableHttpRequest<?> request) {
        try {
            http().exchange(request, Argument.STRING, Argument.STRING);
        } catch (HttpClientResponseException e) {
            return e;
        }
        throw new AssertionError("expected a refusal of " + request.getMethodName() + " " + request.getPath());
    }

    private BlockingHttpClient http() {
        return client.toBlocking();
    }

    private static <T> MutableHttpRequest<T> authed(MutableHttpRequest<T> request) {
        return request.basicAuth(USER, PASSWORD);
    }

    private HttpStatus status(HttpRequest<?> request) {
        try {
            return http().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }
}
