package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.arcstream.core.match.GalleryIndex;
import org.arcstream.embedder.stream.EmbedderSettings;

/**
 * Matching settings (keys {@code embedder.match.*}).
 *
 * @param threshold initial cosine threshold in [-1, 1], changeable at run time through {@code PUT /admin/threshold};
 *     unset = core's {@code match.threshold} (0.38, {@code ARCSTREAM_MATCH_THRESHOLD}), so that the service and the
 *     command line agree unless told otherwise
 * @param subCentroids centroids per identity and model version (1..255): 1 = the mean of its samples; more for
 *     identities enrolled in very different conditions
 * @param exactScanLimit galleries (of one model version) with fewer identities are matched by an exact scan,
 *     larger ones through a scan of binary codes whose best candidates are re-ranked exactly
 */
@Context
@ConfigurationProperties("embedder.match")
public record MatchProperties(
        @Nullable @DecimalMin("-1") @DecimalMax("1") Float threshold,
        @Min(1) @Max(EmbedderSettings.MAX_SUB_CENTROIDS) @Bindable(defaultValue = "" + EmbedderSettings.SUB_CENTROIDS) int subCentroids,
        @Min(0) @Bindable(defaultValue = "" + GalleryIndex.DEFAULT_EXACT_SCAN_LIMIT) int exactScanLimit) {
}
