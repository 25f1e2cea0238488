package org.arcstream.embedder.admin;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.arcstream.embedder.gallery.EnrollOutcome;

/**
 * What an enrollment request did: the samples written, each image the identity already had as a sample
 * (nothing written for it), and each rejected image with its reason.
 */
@Serdeable
public record EnrollResponse(String identity, List<String> acceptedSamples, List<Duplicate> duplicates, List<Rejected> rejected) {

    /** An uploaded image that is the same as the identity's sample {@code sample}: it was not enrolled again. */
    @Serdeable
    public record Duplicate(String image, String sample) {}

    /** An uploaded image that was not enrolled, and why. */
    @Serdeable
    public record Rejected(String image, String reason) {}

    static EnrollResponse of(EnrollOutcome outcome) {
        return new EnrollResponse(outcome.identityId(), List.copyOf(outcome.acceptedSamples()),
                outcome.duplicates().stream().map(d -> new Duplicate(d.source(), d.sampleId())).toList(),
                outcome.rejected().stream().map(r -> new Rejected(r.source(), r.reason())).toList());
    }
}
