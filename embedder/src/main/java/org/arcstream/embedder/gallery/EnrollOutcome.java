package org.arcstream.embedder.gallery;

import java.util.List;

/** What an enrollment request did: the sample ids written, and each rejected image with its reason. */
public record EnrollOutcome(String identityId, List<String> acceptedSamples, List<Rejection> rejected) {

    /** An image that was not enrolled, and why. */
    public record Rejection(String source, String reason) {}
}
