package org.arcstream.embedder.model;

/** A published model that must not be used: unreachable, corrupt, not loadable, or not an embedding model of the right shape. */
public final class ModelRefusedException extends RuntimeException {

    public ModelRefusedException(String message) {
        super(message);
    }

    public ModelRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
