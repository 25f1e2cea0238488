package org.arcstream.embedder.stream;

/** No face pipeline became free in time; the message says which share was exhausted and what to change. */
public final class PipelinesBusyException extends RuntimeException {

    public PipelinesBusyException(String message) {
        super(message);
    }
}
