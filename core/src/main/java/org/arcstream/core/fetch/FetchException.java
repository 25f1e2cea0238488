package org.arcstream.core.fetch;

/** Files could not be fetched or verified; the message names the file or folder and how to fix it. */
public final class FetchException extends RuntimeException {

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
