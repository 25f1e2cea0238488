package org.arcstream.core.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files that appear whole or not at all: written beside their target under a temporary name and moved
 * into place in one step, so that a reader (another process loading a model, a crash in the middle)
 * sees the previous file or the complete new one, never a part of it.
 */
public final class AtomicFiles {

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code target} (replacing it) through a temporary file in its folder, which must exist; on a
     * failure the target is as it was and no temporary file is left.
     */
    public static void write(Path target, Content content) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves a finished file over {@code target} in one step; both must be on the same file system. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
