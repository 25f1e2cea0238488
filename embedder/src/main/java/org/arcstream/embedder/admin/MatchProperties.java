package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import org.arcstream.core.match.GalleryIndex;

/**
 * Matching settings (keys {@code embedder.match.*}).
 *
 * @param threshold initial cosine threshold; null = core's {@code match.threshold} (ARCSTREAM_MATCH_THRESHOLD),
 *     so that the service and the command line agree unless told otherwise
 * @param subCentroids centroids kept per identity (1 = a single mean; more for identities with varied looks)
 * @param exactScanLimit galleries (of one model version) with fewer identities are matched by an exact scan,
 *     larger ones through an approximate nearest-neighbour graph; null = core's {@code GalleryIndex.DEFAULT_EXACT_SCAN_LIMIT}
 */
@ConfigurationProperties("embedder.match")
public record MatchProperties(
        @Nullable Float threshold,
        @Bindable(defaultValue = "1") int subCentroids,
        @Nullable Integer exactScanLimit) {

    public MatchProperties {
        if (threshold != null && !(threshold >= -1f && threshold <= 1f)) {
            throw new IllegalArgumentException("embedder.match.threshold must lie in [-1, 1], got " + threshold);
        }
        if (subCentroids < 1 || subCentroids > 255) {
            throw new IllegalArgumentException("embedder.match.sub-centroids must lie in [1, 255], got " + subCentroids);
        }
        if (exactScanLimit != null && exactScanLimit < 0) {
            throw new IllegalArgumentException("embedder.match.exact-scan-limit must not be negative, got " + exactScanLimit);
        }
    }

    /** The exact-scan limit in force: the configured one, else the library's default. */
    public int exactScanLimitOrDefault() {
        return exactScanLimit != null ? exactScanLimit : GalleryIndex.DEFAULT_EXACT_SCAN_LIMIT;
    }
}
