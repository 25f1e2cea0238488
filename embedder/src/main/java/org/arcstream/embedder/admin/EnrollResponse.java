package org.arcstream.embedder.admin;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.arcstream.embedder.gallery.EnrollOutcome;

/** What an enrollment request did: the samples written, and each rejected image with its reason. */
@Serdeable
public record EnrollResponse(String identity, List<String> acceptedSamples, List<Rejected> rejected) {

    /** An uploaded image that was not enrolled, and why. */
    @Serdeable
    public record Rejected(String image, String reason) {}

    static EnrollResponse of(EnrollOutcome outcome) {
        return new EnrollResponse(outcome.identityId(), List.copyOf(outcome.acceptedSamples()),
                outcome.rejected().stream().map(r -> new Rejected(r.source(), r.reason())).toList());
    }
}
