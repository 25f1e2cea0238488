package org.arcstream.embedder.console;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The console's browser protections: scripts, styles and connections only from the service itself (no
 * inline script, no CDN), images also from blobs and data URLs (uploads, webcam snapshots), the webcam
 * as a media stream, never framed by another site.
 */
@ServerFilter("/console/**")
public final class SecurityHeadersFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; media-src 'self' blob: mediastream:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @ResponseFilter
    public void addHeaders(MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        if (!response.getHeaders().contains("Cache-Control")) {
            response.header("Cache-Control", "no-store"); // a response that allows caching (sample crops) says so itself
        }
    }
}
