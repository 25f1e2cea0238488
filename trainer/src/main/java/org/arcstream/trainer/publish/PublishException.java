package org.arcstream.trainer.publish;

/** A model that could not be delivered to where the embedders fetch it from, or whose event could not be sent to the models topic. */
public final class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
