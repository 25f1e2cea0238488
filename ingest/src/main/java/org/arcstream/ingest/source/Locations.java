package org.arcstream.ingest.source;

import java.net.URI;
import java.net.URISyntaxException;

/** Source locations as they may appear in logs, errors and frame origins. */
final class Locations {

    private Locations() {}

    /** The URL without its user and password, which camera URLs often carry. */
    static String redact(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            int at = url.indexOf('@'), scheme = url.indexOf("://");
            return at > 0 && scheme > 0 && at > scheme ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
        }
    }
}
