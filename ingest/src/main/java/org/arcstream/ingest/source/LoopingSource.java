package org.arcstream.ingest.source;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a source over when it ends: files from their beginning, live streams by reconnecting after
 * a pause, also when the stream failed. A file source that yields nothing ends the loop, so that an
 * emptied folder does not spin.
 */
final class LoopingSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(LoopingSource.class);

    /** Opens the source again. */
    interface Opener {
        FrameSource open() throws FrameSourceException, InterruptedException;
    }

    private final Opener opener;
    private final SourceOptions options;
    private final boolean live;
    private final String location;
    private FrameSource current;
    private boolean yieldedSinceOpen;
    /** Unreadable items of the sources already closed. */
    private long unreadableBefore;

    LoopingSource(FrameSource first, Opener opener, SourceOptions options) {
        this.current = first;
        this.opener = opener;
        this.options = options;
        this.live = first.live();
        this.location = first.location();
    }

    @Override
    public Optional<SourceFrame> next() throws FrameSourceException, InterruptedException {
        while (true) {
            if (current != null) {
                try {
                    Optional<SourceFrame> frame = current.next();
                    if (frame.isPresent()) {
                        yieldedSinceOpen = true;
                        return frame;
                    }
                    if (!live && !yieldedSinceOpen) {
                        return Optional.empty();
                    }
                } catch (FrameSourceException e) {
                    if (!live) {
                        throw e;
                    }
                    LOG.warn("{}; reconnecting in {} ms", e.getMessage(), options.reconnectDelay().toMillis());
                }
                closeCurrent();
                if (live) {
                    Thread.sleep(options.reconnectDelay().toMillis());
                }
            }
            try {
                current = opener.open();
                yieldedSinceOpen = false;
            } catch (FrameSourceException e) {
                if (!live) {
                    throw e;
                }
                // the first connection succeeded, so the camera may well come back
                LOG.warn("{}; retrying in {} ms", e.getMessage(), options.reconnectDelay().toMillis());
                Thread.sleep(options.reconnectDelay().toMillis());
            }
        }
    }

    private void closeCurrent() {
        unreadableBefore += current.unreadable();
        current.close();
        current = null;
    }

    @Override
    public long unreadable() {
        return unreadableBefore + (current != null ? current.unreadable() : 0);
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
        }
    }
}
