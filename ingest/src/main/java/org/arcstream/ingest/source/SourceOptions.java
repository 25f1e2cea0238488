package org.arcstream.ingest.source;

import java.time.Duration;

/**
 * How sources are opened.
 *
 * @param connectTimeout how long connecting to a stream may take
 * @param readTimeout how long a live stream may stay silent before it counts as failed
 * @param loop start over at the end: files from their beginning, live streams by reconnecting
 * @param reconnectDelay pause before a looping live stream reconnects
 * @param jpegQuality quality (0..1) of the JPEG frames re-encoded from video and RTSP
 */
public record SourceOptions(Duration connectTimeout, Duration readTimeout, boolean loop, Duration reconnectDelay, float jpegQuality) {

    public SourceOptions {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (!(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("jpegQuality must be in (0, 1], got " + jpegQuality);
        }
    }

    /** 10 s to connect, 10 s of silence allowed, no looping, 2 s between reconnects, JPEG quality 0.9. */
    public static SourceOptions defaults() {
        return new SourceOptions(Duration.ofSeconds(10), Duration.ofSeconds(10), false, Duration.ofSeconds(2), 0.9f);
    }

    public SourceOptions withLoop(boolean loop) {
        return new SourceOptions(connectTimeout, readTimeout, loop, reconnectDelay, jpegQuality);
    }

    public SourceOptions withTimeouts(Duration connect, Duration read) {
        return new SourceOptions(connect, read, loop, reconnectDelay, jpegQuality);
    }
}
