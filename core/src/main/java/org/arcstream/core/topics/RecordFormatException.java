package org.arcstream.core.topics;

/** A record value that cannot be read: wrong magic, unknown version, or truncated. */
public final class RecordFormatException extends RuntimeException {

    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
