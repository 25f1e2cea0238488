package org.arcstream.embedder.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Who is signed in, and the CSRF token the console sends with every state-changing request. The token
 * is also set as a cookie (HttpOnly, SameSite=Strict); the server compares the two.
 */
@Controller("/console/api/session")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "console")
public final class SessionController {

    /** The signed-in user and the CSRF token to send in {@value CsrfRule#HEADER}. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Session(String user, String csrfToken) {}

    @Get
    public HttpResponse<Session> session(HttpRequest<?> request, Authentication authentication) {
        String token = request.getCookies().findCookie(CsrfRule.COOKIE).map(Cookie::getValue)
                .filter(CsrfRule::wellFormed).orElseGet(CsrfRule::newToken);
        Cookie cookie = Cookie.of(CsrfRule.COOKIE, token).path("/").httpOnly(true).sameSite(SameSite.Strict);
        return HttpResponse.ok(new Session(authentication.getName(), token)).cookie(cookie);
    }
}
