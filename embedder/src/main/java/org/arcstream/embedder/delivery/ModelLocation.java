package org.arcstream.embedder.delivery;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A model location that the allow-lists admit: a file in a trusted folder, a URL on an allowed origin, or an object in an allowed bucket. */
sealed interface ModelLocation {

    record InTrustedDir(Path file) implements ModelLocation {}

    record OnAllowedHost(URI url) implements ModelLocation {}

    record InAllowedBucket(String bucket, String key) implements ModelLocation {}

    /** The location as an allowed kind; {@link DownloadRefusedException} with the reason when no allow-list admits it. */
    static ModelLocation admit(String location, DownloadSettings settings) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DownloadRefusedException("model location is not a URI: '" + location + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> new InTrustedDir(trustedFile(uri, location, settings));
            case "http", "https" -> {
                String origin;
                try {
                    origin = DownloadSettings.origin(location);
                } catch (IllegalArgumentException e) {
                    throw new DownloadRefusedException("model location " + location + " has no host");
                }
                if (!settings.httpOrigins().contains(origin)) {
                    throw new DownloadRefusedException("model location " + location + " is on " + origin
                            + ", which is not an allowed model host (embedder.models.download.http-hosts: " + settings.httpOrigins() + ")");
                }
                if (uri.getRawUserInfo() != null) {
                    throw new DownloadRefusedException("model location " + origin + "... carries credentials in the URL; the embedder sends its own");
                }
                yield new OnAllowedHost(uri);
            }
            case "s3" -> {
                String bucket = uri.getHost();
                String key = uri.getPath() == null || uri.getPath().length() < 2 ? null : uri.getPath().substring(1);
                if (bucket == null || key == null) {
                    throw new DownloadRefusedException("model location " + location + " is not s3://bucket/key");
                }
                if (settings.s3() == null || !settings.s3Buckets().contains(bucket)) {
                    throw new DownloadRefusedException("model location " + location + " is in bucket '" + bucket
                            + "', which is not an allowed model bucket (embedder.models.download.s3-buckets: " + settings.s3Buckets() + ")");
                }
                yield new InAllowedBucket(bucket, key);
            }
            default -> throw new DownloadRefusedException("model location " + location + " has an unsupported scheme (file:, http:, https: or s3:)");
        };
    }

    private static Path trustedFile(URI uri, String location, DownloadSettings settings) {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // e.g. file:model.onnx (not hierarchical) or file://host/model.onnx: an event's text, refused like any bad location
            throw new DownloadRefusedException("model location " + location + " is not a local file: " + e.getMessage());
        }
        path = path.toAbsolutePath().normalize();
        String outside = "model file " + path + " is outside the trusted model folders (embedder.models.download.trusted-dirs: "
                + settings.trustedDirs() + ")";
        // first by name, so that a refused location tells nothing about files outside the trusted folders
        if (settings.trustedDirs().stream().noneMatch(path::startsWith)) {
            throw new DownloadRefusedException(outside);
        }
        if (!Files.isRegularFile(path)) {
            throw new DownloadRefusedException("model file not found: " + path);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new DownloadRefusedException("model file " + path + " cannot be resolved: " + e.getMessage());
        }
        // then with symbolic links resolved on both sides: a link in a trusted folder must not lead out of it
        for (Path dir : settings.trustedDirs()) {
            try {
                if (real.startsWith(dir.toRealPath())) {
                    return real;
                }
            } catch (IOException e) {
                // a trusted folder that does not exist holds nothing
            }
        }
        throw new DownloadRefusedException(outside + " (through a symbolic link to " + real + ")");
    }
}
