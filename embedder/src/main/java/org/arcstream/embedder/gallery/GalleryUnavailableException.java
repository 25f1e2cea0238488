package org.arcstream.embedder.gallery;

/** The gallery cannot be read or written right now (stream not running yet, or Kafka unreachable); retry later. */
public final class GalleryUnavailableException extends RuntimeException {

    public GalleryUnavailableException(String message) {
        super(message);
    }

    public GalleryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
