package org.arcstream.core.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.RgbImage;

/**
 * Image files under folders, for the commands that take folders of images (embed, eval, enroll, train).
 *
 * <p>Only files that are clearly not images are left out, by name: hidden files and folders, and
 * extensions of text, documents, archives and the like ({@code README.md}, {@code notes.txt},
 * {@code pairs.csv}). Every other file is handed to the decoder, which decides by its bytes; a file it
 * cannot decode is reported as an {@link UnreadableImage} instead of vanishing from the results.
 */
public final class ImageFolders {

    /** Extensions of files that are never images: left out of folders without a word. */
    private static final Set<String> NOT_IMAGES = Set.of(
            "txt", "md", "markdown", "rst", "csv", "tsv", "json", "jsonl", "xml", "yml", "yaml", "toml", "ini", "cfg",
            "conf", "properties", "log", "html", "htm", "pdf", "doc", "docx", "rtf", "odt", "xls", "xlsx",
            "zip", "gz", "tgz", "bz2", "xz", "7z", "tar", "rar", "sh", "bat", "py", "java", "js",
            "db", "sqlite", "onnx", "pt", "bin", "npy", "npz", "pkl", "mat",
            "mp4", "avi", "mov", "mkv", "webm", "wmv", "mpg", "mpeg", "mp3", "wav", "flac", "ogg");

    private ImageFolders() {}

    /** True for files a folder scan leaves out silently: hidden files and clear non-images by extension. */
    public static boolean isClearlyNotAnImage(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") || name.equalsIgnoreCase("Thumbs.db") || name.equalsIgnoreCase("desktop.ini")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && NOT_IMAGES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Candidate image files under {@code folder}, recursively, sorted; hidden folders are not entered. */
    public static List<Path> imagesUnder(Path folder) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(folder) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !isClearlyNotAnImage(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + describe(e), e);
        }
        files.sort(null);
        return files;
    }

    /** Files named on the command line are kept whatever their name; folders contribute their candidate images. */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                out.addAll(imagesUnder(path));
            } else {
                out.add(path);
            }
        }
        return out;
    }

    /**
     * Reads and decodes an image file.
     *
     * @throws UnreadableImageException naming the file and the reason: missing, not readable, or rejected by
     *     the decoder (its message)
     */
    public static RgbImage read(ImageDecoder decoder, Path file) {
        try {
            return decoder.decode(file);
        } catch (ImageDecodeException e) {
            throw new UnreadableImageException(new UnreadableImage(file.toString(), e.getMessage()), e);
        } catch (IOException e) {
            throw new UnreadableImageException(new UnreadableImage(file.toString(), describe(e)), e);
        }
    }

    /** Reads the bytes of an image file; {@link UnreadableImageException} when the file cannot be read. */
    public static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnreadableImageException(new UnreadableImage(file.toString(), describe(e)), e);
        }
    }

    /** A file-system error in words, without the exception class. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "file not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot read file" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
