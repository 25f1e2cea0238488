package org.arcstream.ingest.source;

import java.util.Objects;

/**
 * One encoded frame as read from a source.
 *
 * @param data the encoded image (JPEG, PNG, WebP, BMP, GIF or TIFF), as it will travel in the {@code frames} topic
 * @param contentType the image's media type, e.g. {@code image/jpeg}, {@code image/png}, {@code image/webp}
 * @param captureTimeMillis epoch milliseconds at which the frame was taken (see {@link FrameSources} for each kind)
 * @param origin where the frame came from: a file path, {@code video.mp4#frame 12}, or a URL
 */
public record SourceFrame(byte[] data, String contentType, long captureTimeMillis, String origin) {

    public SourceFrame {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(origin, "origin");
    }

    public int size() {
        return data.length;
    }
}
