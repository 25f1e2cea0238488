package org.arcstream.core.files;

/** An image file that could not be read or decoded; the message is {@code FILE: REASON}. */
public final class UnreadableImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient UnreadableImage image;

    public UnreadableImageException(UnreadableImage image, Throwable cause) {
        super(image.toString(), cause);
        this.image = image;
    }

    public UnreadableImage image() {
        return image;
    }
}
