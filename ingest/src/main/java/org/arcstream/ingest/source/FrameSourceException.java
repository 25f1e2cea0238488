package org.arcstream.ingest.source;

import java.io.IOException;

/** A source cannot be opened or read; the message names the source and the reason. */
public final class FrameSourceException extends IOException {

    public FrameSourceException(String location, String reason) {
        super(location + ": " + reason);
    }

    public FrameSourceException(String location, String reason, Throwable cause) {
        super(location + ": " + reason, cause);
    }
}
