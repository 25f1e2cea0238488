package org.arcstream.ingest.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.arcstream.core.image.ImageFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image files (JPEG, PNG, WebP, BMP, GIF, TIFF) sent as they are, one frame per file: a single file, or every image under a
 * directory (recursively, in path order). The origin of each frame is its file path, so that callers
 * can label frames by folder; the capture time is the moment the file is read.
 */
final class ImageFileSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFileSource.class);

    private final String location;
    private final List<Path> files;
    private final boolean singleFile;
    private int next;
    private long unreadable;

    private ImageFileSource(String location, List<Path> files, boolean singleFile) {
        this.location = location;
        this.files = files;
        this.singleFile = singleFile;
    }

    /** A directory of images, or one image file whose content must be in an accepted format. */
    static ImageFileSource open(Path path) throws FrameSourceException {
        String location = path.toString();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try {
                files = ImageFiles.expand(List.of(path));
            } catch (RuntimeException e) {
                throw new FrameSourceException(location, "cannot list the directory: " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new FrameSourceException(location,
                        "no image files (" + String.join(", ", ImageFiles.IMAGE_EXTENSIONS) + ") in this directory");
            }
            return new ImageFileSource(location, files, false);
        }
        ImageFileSource source = new ImageFileSource(location, List.of(path), true);
        // a lone file is checked up front, so that a wrong path fails at open rather than at the first frame
        source.read(path);
        return source;
    }

    @Override
    public Optional<SourceFrame> next() throws FrameSourceException {
        while (next < files.size()) {
            Path file = files.get(next++);
            try {
                return Optional.of(read(file));
            } catch (FrameSourceException e) {
                if (singleFile) {
                    throw e;
                }
                // one bad file in a folder must not stop the others
                unreadable++;
                LOG.warn("skipped {}", e.getMessage());
            }
        }
        return Optional.empty();
    }

    private SourceFrame read(Path file) throws FrameSourceException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FrameSourceException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new FrameSourceException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        String type = ImageFormat.contentType(data).orElseThrow(
                () -> new FrameSourceException(file.toString(), ImageFormat.rejection(data) + " (" + data.length + " bytes)"));
        return new SourceFrame(data, type, System.currentTimeMillis(), file.toString());
    }

    @Override
    public long unreadable() {
        return unreadable;
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        next = files.size();
    }
}
