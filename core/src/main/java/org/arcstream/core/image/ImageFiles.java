package org.arcstream.core.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Image files on disk: finding them under folders and decoding them with errors that say what went wrong. */
public final class ImageFiles {

    private ImageFiles() {}

    /** Decodes a file; an unreadable file becomes an error that names it and the cause. */
    public static RgbImage decode(ImageDecoder decoder, Path file) {
        try {
            return decoder.decode(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read file: " + e.getMessage(), e);
        }
    }

    /** File name endings picked up when a folder is expanded (JPEG, PNG, WebP, BMP, GIF, TIFF). */
    public static final List<String> IMAGE_EXTENSIONS =
            List.of(".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff");

    /**
     * Whether a file in a folder is taken as an image by its name. This only selects files; the decoder then
     * tells the format from the bytes, so a WebP named {@code .jpg} still decodes as WebP.
     */
    public static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Files named on the command line are kept whatever their extension; directories contribute their images. */
    public static List<Path> expand(List<Path> paths) {
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
