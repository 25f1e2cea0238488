package org.arcstream.trainer.experiment;

import java.io.IOException;

/** An IDX file whose header or length does not describe a valid array of the expected kind. */
public final class IdxFormatException extends IOException {

    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
