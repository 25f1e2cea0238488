package org.arcstream.ingest.source;

import java.util.Optional;

/** A stream of encoded frames from one camera-like source: image files, a video file or a live stream. */
public interface FrameSource extends AutoCloseable {

    /**
     * The next frame, or empty at the end of the source. Live sources block until a frame arrives
     * (at most their read timeout).
     *
     * @throws FrameSourceException when the source fails; the message names the source
     */
    Optional<SourceFrame> next() throws FrameSourceException, InterruptedException;

    /** True for camera streams, which cannot be slowed down: surplus frames are dropped rather than waited for. */
    boolean live();

    /**
     * Items this source passed over since it was opened because they were no frame it could read: a file
     * that is not an image in a supported format or cannot be read, a camera part that is not an image. Each one was
     * logged with its reason; none of them counts as a frame.
     */
    default long unreadable() {
        return 0;
    }

    /** The path or URL this source reads. */
    String location();

    @Override
    void close();
}
