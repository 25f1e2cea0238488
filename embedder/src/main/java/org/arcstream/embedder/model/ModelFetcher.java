package org.arcstream.embedder.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.arcstream.core.files.AtomicFiles;
import org.arcstream.core.model.Sha256;

/**
 * Fetches a published model into this instance's cache and verifies it: the copy's sha256 must be
 * the one the event announced. Only {@code file:} locations (the filesystem model store) are read.
 */
final class ModelFetcher {

    private final Path cacheDir;

    ModelFetcher(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The verified local copy, {@code <cache>/<version>.onnx}; refused with the reason otherwise. */
    Path fetch(String version, String location, String sha256) {
        Path source = source(location);
        Path target = cacheDir.resolve(version + ".onnx");
        if (Files.isRegularFile(target) && Sha256.hex(target).equals(sha256)) {
            return target;
        }
        Path partial = cacheDir.resolve("." + version + ".onnx." + System.nanoTime());
        try {
            Files.createDirectories(cacheDir);
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            // the copy is what gets loaded, so the copy is what is checked
            String actual = Sha256.hex(partial);
            if (!actual.equals(sha256)) {
                throw new ModelRefusedException("sha256 mismatch: " + location + " has sha256 " + actual + ", the event announced "
                        + sha256 + " (corrupt or replaced file)");
            }
            AtomicFiles.moveIntoPlace(partial, target);
            return target;
        } catch (IOException e) {
            throw new ModelRefusedException("cannot fetch " + location + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover starts with a dot and is never loaded
            }
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

    private static Path source(String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new ModelRefusedException("model location is not a URI: '" + location + "'");
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new ModelRefusedException("model location " + location + " is not a file: URI (only the filesystem model store is supported)");
        }
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // e.g. file:model.onnx (not hierarchical) or file://host/model.onnx: an event's text, refused like any bad location
            throw new ModelRefusedException("model location " + location + " is not a local file: " + e.getMessage());
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelRefusedException("model file not found: " + path);
        }
        return path;
    }
}
