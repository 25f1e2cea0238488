package org.arcstream.embedder.delivery;

/** A model location that must not be followed, or a download that cannot give the announced file; the message is the reason. */
public final class DownloadRefusedException extends RuntimeException {

    public DownloadRefusedException(String message) {
        super(message);
    }

    public DownloadRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
