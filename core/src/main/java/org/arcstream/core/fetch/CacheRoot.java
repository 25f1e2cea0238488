package org.arcstream.core.fetch;

import java.nio.file.Path;

/** The folder under which arcstream caches what it fetches (models, data sets). */
public final class CacheRoot {

    private CacheRoot() {}

    /** {@code $XDG_CACHE_HOME/arcstream}, else {@code ~/.cache/arcstream}. */
    public static Path dir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("arcstream");
    }
}
