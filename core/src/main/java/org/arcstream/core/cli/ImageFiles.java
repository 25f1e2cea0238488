package org.arcstream.core.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.RgbImage;

/** Expands files and directories (recursively) into a sorted list of image files. */
final class ImageFiles {

    private ImageFiles() {}

    /** Decodes a file; an unreadable file becomes an error that names it and the cause. */
    static RgbImage decode(ImageDecoder decoder, Path file) {
        try {
            return decoder.decode(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read file: " + e.getMessage(), e);
        }
    }

    static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }

    /** Files named on the command line are kept whatever their extension; directories contribute their images. */
    static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(ImageFiles::looksLikeImage).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + path, e);
                }
            } else {
                out.add(path);
            }
        }
        return out;
    }
}
