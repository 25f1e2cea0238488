package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Matching settings (keys {@code embedder.match.*}).
 *
 * @param threshold initial cosine threshold; null = core's {@code match.threshold} (ARCSTREAM_MATCH_THRESHOLD),
 *     so that the service and the command line agree unless told otherwise
 * @param subCentroids centroids kept per identity (1 = a single mean; more for identities with varied looks)
 */
@ConfigurationProperties("embedder.match")
public record MatchProperties(
        @Nullable Float threshold,
        @Bindable(defaultValue = "1") int subCentroids) {

    public MatchProperties {
        if (threshold != null && !(threshold >= -1f && threshold <= 1f)) {
            throw new IllegalArgumentException("embedder.match.threshold must lie in [-1, 1], got " + threshold);
        }
        if (subCentroids < 1) {
            throw new IllegalArgumentException("embedder.match.sub-centroids must be at least 1, got " + subCentroids);
        }
    }
}
