package org.arcstream.embedder.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model file over HTTP(S) from an allowed origin (the trainer's model endpoint): HTTP Basic when configured,
 * {@code Range} to resume with {@code If-Range} on the first answer's ETag (a file replaced between two attempts is
 * fetched anew, never spliced), the announced length checked against the limit before the body is read, and
 * the server's {@code Repr-Digest} (RFC 9530) compared with the event's sha256 before anything is downloaded.
 * Redirects are not followed: they could lead off the allowed origin.
 */
final class HttpDownload implements ResumableSource {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern SHA256_DIGEST = Pattern.compile("(?:^|,)\\s*sha-256=:([A-Za-z0-9+/=]+):");

    private final HttpClient client;
    private final URI url;
    private final String sha256;
    private final DownloadSettings settings;
    private String etag;

    HttpDownload(HttpClient client, URI url, String sha256, DownloadSettings settings) {
        this.client = client;
        this.url = url;
        this.sha256 = sha256;
        this.settings = settings;
    }

    static HttpClient newClient(DownloadSettings settings) {
        return HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void attempt(Path partial) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(settings.timeout()).GET();
        if (settings.httpCredentials() != null) {
            request.header("Authorization", settings.httpCredentials().authorizationHeader());
        }
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
            if (etag != null) {
                request.header("If-Range", etag);
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadRefusedException("interrupted while fetching " + url, e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            long from = switch (status) {
                case 200 -> 0;
                case 206 -> rangeStart(response, have);
                case 416 -> {
                    Files.deleteIfExists(partial);
                    throw new IOException("HTTP 416 for bytes " + have + "- of " + url + "; starting over");
                }
                default -> throw failure(status);
            };
            checkDigest(response);
            response.headers().firstValue("ETag").ifPresent(value -> etag = value);
            OptionalLong total = status == 206 ? totalFromContentRange(response) : response.headers().firstValueAsLong("Content-Length");
            if (total.isPresent() && total.getAsLong() > settings.maxBytes()) {
                throw BoundedCopy.tooLarge(url.toString(), "the server announces " + total.getAsLong() + " bytes", settings.maxBytes());
            }
            if (from == 0) {
                Files.deleteIfExists(partial); // a full answer (the server ignored the range, or the file changed): start over
            }
            long size = BoundedCopy.append(body, partial, settings.maxBytes(), url.toString());
            if (total.isPresent() && size != total.getAsLong()) {
                throw new IOException("the connection closed after " + size + " of " + total.getAsLong() + " bytes of " + url);
            }
        }
    }

    private long rangeStart(HttpResponse<?> response, long have) throws IOException {
        Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
            throw new IOException("HTTP 206 from " + url + " without the requested range (Content-Range: "
                    + response.headers().firstValue("Content-Range").orElse("none") + ")");
        }
        return have;
    }

    private static OptionalLong totalFromContentRange(HttpResponse<?> response) {
        Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        return m.matches() && !m.group(3).equals("*") ? OptionalLong.of(Long.parseLong(m.group(3))) : OptionalLong.empty();
    }

    /** The server's digest of the whole file, when it sends one, must be the announced one: else the rest is not worth reading. */
    private void checkDigest(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Repr-Digest");
        if (header.isEmpty()) {
            return;
        }
        Matcher m = SHA256_DIGEST.matcher(header.get());
        if (m.find()) {
            String served;
            try {
                served = HexFormat.of().formatHex(Base64.getDecoder().decode(m.group(1)));
            } catch (IllegalArgumentException e) {
                return; // an unreadable header proves nothing; the file's own digest is checked after the download
            }
            if (!served.equals(sha256)) {
                throw new DownloadRefusedException("sha256 mismatch: " + url + " is served with sha256 " + served + ", the event announced "
                        + sha256 + " (a different or replaced file)");
            }
        }
    }

    /** A status that ends this attempt: an {@link IOException} when another attempt may do better, else the refusal. */
    private IOException failure(int status) {
        if (status == 401 || status == 403) {
            throw new DownloadRefusedException("the model host refused access to " + url + " (HTTP " + status
                    + "): check embedder.models.download.http-username and its password");
        }
        if (status >= 300 && status < 400) {
            throw new DownloadRefusedException("the model host redirects " + url + " (HTTP " + status + "); redirects are not followed");
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new IOException("HTTP " + status + " from " + url);
        }
        throw new DownloadRefusedException("cannot fetch " + url + ": HTTP " + status);
    }
}
