package org.arcstream.ingest.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.arcstream.core.image.ImageFiles;

/**
 * Opens a frame source from a path or URL:
 * <ul>
 *   <li>a directory: its JPEG and PNG files, recursively in path order, sent as they are; origin = file path;</li>
 *   <li>an image file ({@code .jpg}, {@code .jpeg}, {@code .png}, {@code .webp}, {@code .bmp}, {@code .gif},
 *       {@code .tif}, {@code .tiff}): that one image;</li>
 *   <li>any other file: a video decoded by FFmpeg, each picture re-encoded as JPEG; origin = {@code path#frame N};</li>
 *   <li>{@code rtsp://} and {@code rtsps://}: a camera read by FFmpeg over TCP;</li>
 *   <li>{@code http://} and {@code https://}: a Motion JPEG camera ({@code multipart/x-mixed-replace}).</li>
 * </ul>
 * Image files carry the time they were read as capture time, a video file the time it was opened plus
 * each frame's presentation time, live streams the time each frame arrived. User and password in a URL
 * never appear in origins, logs or errors.
 */
public final class FrameSources {

    private FrameSources() {}

    /**
     * @throws FrameSourceException when the source cannot be opened; the message names the source and the reason
     */
    public static FrameSource open(String pathOrUrl, SourceOptions options) throws FrameSourceException, InterruptedException {
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new FrameSourceException("(no source)", "a path or URL is required");
        }
        FrameSource first = openOnce(pathOrUrl, options);
        return options.loop() ? new LoopingSource(first, () -> openOnce(pathOrUrl, options), options) : first;
    }

    /** The path or URL as it may be shown: without the user and password a URL may carry. */
    public static String describe(String pathOrUrl) {
        return pathOrUrl == null ? "(no source)" : Locations.redact(pathOrUrl);
    }

    private static FrameSource openOnce(String pathOrUrl, SourceOptions options) throws FrameSourceException, InterruptedException {
        String lower = pathOrUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
            return FfmpegSource.openRtsp(pathOrUrl, options);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return MjpegHttpSource.open(pathOrUrl, options);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new FrameSourceException(Locations.redact(pathOrUrl), "unsupported scheme (rtsp, rtsps, http and https are)");
        }
        Path path = Path.of(pathOrUrl);
        if (!Files.exists(path)) {
            throw new FrameSourceException(pathOrUrl, "no such file or directory");
        }
        if (Files.isDirectory(path) || ImageFiles.looksLikeImage(path)) {
            return ImageFileSource.open(path);
        }
        return FfmpegSource.openFile(pathOrUrl, options);
    }
}
