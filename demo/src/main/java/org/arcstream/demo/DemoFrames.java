package org.arcstream.demo;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSourceException;
import org.arcstream.ingest.source.SourceFrame;

/** The demo's view of a source: images that were enrolled are left out, and it ends after a number of frames. */
final class DemoFrames implements FrameSource {

    private final FrameSource source;
    private final Set<Path> enrolled;
    private final int maxFrames;
    private int given;

    /** @param maxFrames frames to give at most; 0 = until the source ends */
    DemoFrames(FrameSource source, Set<Path> enrolled, int maxFrames) {
        this.source = source;
        this.enrolled = enrolled;
        this.maxFrames = maxFrames;
    }

    @Override
    public Optional<SourceFrame> next() throws FrameSourceException, InterruptedException {
        if (maxFrames > 0 && given >= maxFrames) {
            return Optional.empty();
        }
        Optional<SourceFrame> frame;
        do {
            frame = source.next();
        } while (frame.isPresent() && wasEnrolled(frame.get()));
        frame.ifPresent(f -> given++);
        return frame;
    }

    // streaming an enrolled image would score it against itself
    private boolean wasEnrolled(SourceFrame frame) {
        return imageFile(frame.origin()).map(f -> enrolled.contains(f.toAbsolutePath().normalize())).orElse(false);
    }

    /** The image file a frame was read from; empty for video frames ({@code file#frame N}) and camera URLs. */
    static Optional<Path> imageFile(String origin) {
        return origin.contains("://") || origin.contains("#") ? Optional.empty() : Optional.of(Path.of(origin));
    }

    @Override
    public long unreadable() {
        return source.unreadable();
    }

    @Override
    public boolean live() {
        return source.live();
    }

    @Override
    public String location() {
        return source.location();
    }

    @Override
    public void close() {
        source.close();
    }
}
