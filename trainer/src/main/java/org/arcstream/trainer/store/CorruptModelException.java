package org.arcstream.trainer.store;

/** A stored model that must not be loaded: its digest does not match, or it is not an ONNX model. */
public final class CorruptModelException extends RuntimeException {

    public CorruptModelException(String message) {
        super(message);
    }

    public CorruptModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
