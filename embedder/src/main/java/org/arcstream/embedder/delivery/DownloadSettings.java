package org.arcstream.embedder.delivery;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where an embedder may fetch published models from, and how. A location that none of the allow-lists names is
 * refused before anything is read: events come from a topic, and a topic is not a reason to read any file or
 * call any host.
 *
 * @param trustedDirs folders whose files {@code file:} locations may name (after symbolic links are resolved)
 * @param httpOrigins {@code scheme://host:port} of the servers {@code http(s):} locations may name (the trainer)
 * @param s3Buckets buckets {@code s3://bucket/key} locations may name
 * @param maxBytes the largest model file accepted, checked against the announced length and while reading
 * @param attempts tries of a download that broke off (each resumes where the last stopped), at least 1
 * @param timeout connect and read timeout of one request
 * @param httpCredentials HTTP Basic credentials sent to the allowed origins; null = none
 * @param s3 how to reach the S3-compatible store; null = {@code s3:} locations are refused
 */
public record DownloadSettings(List<Path> trustedDirs, Set<String> httpOrigins, Set<String> s3Buckets, long maxBytes, int attempts,
        Duration timeout, BasicCredentials httpCredentials, S3Access s3) {

    // the defaults of defaults() and of the service's embedder.models.download.* keys; compile-time constants for the annotations
    public static final long MAX_BYTES = 512L * 1024 * 1024;
    public static final int ATTEMPTS = 4;
    public static final int TIMEOUT_SECONDS = 30;

    public DownloadSettings {
        trustedDirs = trustedDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        httpOrigins = httpOrigins.stream().map(DownloadSettings::origin).collect(Collectors.toUnmodifiableSet());
        s3Buckets = Set.copyOf(s3Buckets);
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the model size limit must be positive, got " + maxBytes);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("a download needs at least 1 attempt, got " + attempts);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the download timeout must be positive");
        }
    }

    /** Nothing allowed but what is added: no folder, host or bucket; 512 MiB, 4 attempts, 30 s. */
    public static DownloadSettings defaults() {
        return new DownloadSettings(List.of(), Set.of(), Set.of(), MAX_BYTES, ATTEMPTS, Duration.ofSeconds(TIMEOUT_SECONDS), null, null);
    }

    public DownloadSettings withTrustedDir(Path dir) {
        List<Path> dirs = new java.util.ArrayList<>(trustedDirs);
        dirs.add(dir);
        return new DownloadSettings(dirs, httpOrigins, s3Buckets, maxBytes, attempts, timeout, httpCredentials, s3);
    }

    public DownloadSettings withHttp(Set<String> origins, BasicCredentials credentials) {
        return new DownloadSettings(trustedDirs, origins, s3Buckets, maxBytes, attempts, timeout, credentials, s3);
    }

    public DownloadSettings withS3(Set<String> buckets, S3Access access) {
        return new DownloadSettings(trustedDirs, httpOrigins, buckets, maxBytes, attempts, timeout, httpCredentials, access);
    }

    public DownloadSettings withMaxBytes(long value) {
        return new DownloadSettings(trustedDirs, httpOrigins, s3Buckets, value, attempts, timeout, httpCredentials, s3);
    }

    /**
     * {@code scheme://host:port} in lower case with the scheme's default port filled in: {@code http://trainer} and
     * {@code http://trainer:80/} name the same origin.
     *
     * @throws IllegalArgumentException for anything but an http(s) URL with a host
     */
    public static String origin(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("an allowed model host is an http(s) URL with a host, e.g. http://trainer:8081, got '" + url + "'");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
