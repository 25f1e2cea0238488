package org.arcstream.embedder.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses state-changing browser requests to the admin API and the console without a matching CSRF token
 * ({@link CsrfRule}). Runs after the credential check, so a request without credentials stays a 401.
 */
@ServerFilter(patterns = {"/admin/**", "/console/**"})
public final class CsrfFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(CsrfFilter.class);

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        String refusal = CsrfRule.refusal(new CsrfRule.Request() {
            @Override
            public String method() {
                return request.getMethodName();
            }

            @Override
            public String header(String name) {
                return request.getHeaders().get(name);
            }

            @Override
            public String cookie() {
                return request.getCookies().findCookie(CsrfRule.COOKIE).map(Cookie::getValue).orElse(null);
            }
        });
        if (refusal == null) {
            return null;
        }
        LOG.warn("refused {} {}: {}", request.getMethodName(), request.getPath(), refusal);
        return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN_TYPE).body(refusal);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
