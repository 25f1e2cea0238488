package org.arcstream.embedder.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.embedder.delivery.DownloadRefusedException;
import org.arcstream.embedder.delivery.DownloadSettings;
import org.arcstream.embedder.delivery.ModelDownloader;

/**
 * Fetches a published model into this instance's cache and verifies it: the location must be one the
 * download settings allow ({@code file:} in a trusted folder, {@code http(s):} on an allowed host, {@code s3:}
 * in an allowed bucket), the file within the size limit, and the copy's sha256 the one the event announced.
 */
final class ModelFetcher implements AutoCloseable {

    private final Path cacheDir;
    private final ModelDownloader downloader;

    ModelFetcher(Path cacheDir, DownloadSettings download) {
        this.cacheDir = cacheDir;
        this.downloader = new ModelDownloader(download);
    }

    /** The verified local copy, {@code <cache>/<version>.onnx}; refused with the reason otherwise. */
    Path fetch(String version, String location, String sha256) {
        Path target = cacheDir.resolve(version + ".onnx");
        try {
            downloader.download(location, sha256, target);
            return target;
        } catch (DownloadRefusedException e) {
            throw new ModelRefusedException(e.getMessage(), e);
        }
    }

    /** Removes the cached copy of a version that is no longer kept. */
    void evict(String version) {
        try {
            Files.deleteIfExists(cacheDir.resolve(version + ".onnx"));
        } catch (IOException ignored) {
            // only disk space is lost; a later fetch overwrites it
        }
    }

    @Override
    public void close() {
        downloader.close();
    }
}
