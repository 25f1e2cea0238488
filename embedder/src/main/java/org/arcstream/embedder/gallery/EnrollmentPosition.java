package org.arcstream.embedder.gallery;

/** Where a record is in the enrollment topic. */
public record EnrollmentPosition(int partition, long offset) {

    public EnrollmentPosition {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("no such position: partition " + partition + ", offset " + offset);
        }
    }
}
