package org.arcstream.embedder.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which requests need a CSRF token, and whether the one given is right (double-submit cookie).
 *
 * <p>A browser sends cached HTTP Basic credentials with any request to the service, including one a
 * foreign page makes it send: that is the attack. Every browser marks its requests, though: a
 * cross-origin POST always carries {@code Origin}, and current browsers add {@code Sec-Fetch-*} to every
 * request; the console's own requests carry the CSRF cookie. A state-changing request with any of these
 * marks must echo the cookie's value in {@value #HEADER}, which a foreign page can neither read nor set
 * (a custom header on a cross-origin request needs a CORS pre-flight, which the service does not grant).
 * Requests without any mark come from programs (curl, the {@code enroll} command, scripts): they keep
 * using HTTP Basic alone, as before the console existed.
 */
public final class CsrfRule {

    public static final String HEADER = "X-CSRF-Token";
    public static final String COOKIE = "arcstream-csrf";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> BROWSER_HEADERS = Set.of("Origin", "Sec-Fetch-Site", "Sec-Fetch-Mode");
    /** 32 random bytes, base64url without padding. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfRule() {}

    /** The request as far as the rule needs it. */
    public interface Request {
        String method();

        /** The value of a header, or null. */
        String header(String name);

        /** The value of the CSRF cookie, or null. */
        String cookie();
    }

    /** Null when the request may pass, else the reason it is refused. */
    public static String refusal(Request request) {
        if (SAFE_METHODS.contains(request.method())) {
            return null;
        }
        String cookie = request.cookie();
        boolean fromBrowser = cookie != null || BROWSER_HEADERS.stream().anyMatch(h -> request.header(h) != null);
        if (!fromBrowser) {
            return null;
        }
        String token = request.header(HEADER);
        if (token == null || cookie == null) {
            return "a browser request that changes state needs the " + HEADER + " header and the " + COOKIE
                    + " cookie (GET /console/api/session sets both up)";
        }
        if (!wellFormed(cookie) || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
            return "the " + HEADER + " header does not match the " + COOKIE + " cookie";
        }
        return null;
    }

    public static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
