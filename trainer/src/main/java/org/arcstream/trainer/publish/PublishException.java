package org.arcstream.trainer.publish;

/** A model event that could not be delivered to the models topic. */
public final class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
