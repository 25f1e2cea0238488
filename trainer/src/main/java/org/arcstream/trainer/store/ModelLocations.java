package org.arcstream.trainer.store;

import java.net.URI;
import java.nio.file.Path;

/** Where the embedders fetch a stored model from: the location its {@code models} event carries. */
@FunctionalInterface
public interface ModelLocations {

    /** The file itself ({@code file:}): for embedders that share the store's disk, as the in-process demo does. */
    ModelLocations FILE = (version, file) -> file.toUri();

    URI of(String version, Path file);
}
