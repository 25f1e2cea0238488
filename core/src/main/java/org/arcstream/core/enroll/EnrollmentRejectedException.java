package org.arcstream.core.enroll;

/** An enrollment image that cannot be used; the message says why and what to do. */
public final class EnrollmentRejectedException extends RuntimeException {

    public EnrollmentRejectedException(String message) {
        super(message);
    }
}
