package org.arcstream.core.image;

import java.util.Objects;

/** Thrown when encoded image data is rejected; {@link #reason()} says why, the message says it for humans. */
public final class ImageDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an image was rejected. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** The encoded data is larger than {@link ImageLimits#maxBytes()}. */
        TOO_LARGE_BYTES,
        /** The bytes are not in any image format we recognise. */
        NOT_AN_IMAGE,
        /** A recognised image format (or variant) that is deliberately not decoded, e.g. HEIC, AVIF, a BMP with embedded JPEG. */
        UNSUPPORTED_FORMAT,
        /** The header claims more than {@link ImageLimits#maxPixels()} pixels. */
        TOO_MANY_PIXELS,
        /** Width or height is below {@link ImageLimits#minSide()}. */
        TOO_SMALL,
        /** The data is truncated or damaged and cannot be decoded faithfully. */
        CORRUPT
    }

    private final Reason reason;

    public ImageDecodeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ImageDecodeException[" + reason + "]: " + getMessage();
    }
}
