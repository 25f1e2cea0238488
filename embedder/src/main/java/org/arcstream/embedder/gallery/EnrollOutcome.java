package org.arcstream.embedder.gallery;

import java.util.List;

/**
 * What an enrollment request did: the sample ids written, each image that was already enrolled (nothing
 * written for it), and each rejected image with its reason.
 */
public record EnrollOutcome(String identityId, List<String> acceptedSamples, List<Duplicate> duplicates, List<Rejection> rejected) {

    public EnrollOutcome {
        acceptedSamples = List.copyOf(acceptedSamples);
        duplicates = List.copyOf(duplicates);
        rejected = List.copyOf(rejected);
    }

    /**
     * An image the identity already has as a sample (the same image bytes, the same face), or that came
     * twice in one request: nothing new was written for it.
     *
     * @param sampleId the existing sample it is the same as
     */
    public record Duplicate(String source, String sampleId) {}

    /**
     * An image that was not enrolled, and why.
     *
     * @param unreadable true when the image could not be decoded at all (as opposed to a readable image
     *     without exactly one usable face)
     */
    public record Rejection(String source, String reason, boolean unreadable) {

        public Rejection(String source, String reason) {
            this(source, reason, false);
        }
    }
}
