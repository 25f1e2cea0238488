package org.arcstream.embedder.gallery;

import java.util.List;

/** What an enrollment request did: the sample ids written, and each rejected image with its reason. */
public record EnrollOutcome(String identityId, List<String> acceptedSamples, List<Rejection> rejected) {

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
