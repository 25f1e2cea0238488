package org.arcstream.embedder.admin;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.arcstream.embedder.match.MatchThreshold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and changes the matcher's cosine threshold while the stream runs. */
@Controller("/admin/threshold")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "matching")
public final class ThresholdController {

    private static final Logger LOG = LoggerFactory.getLogger(ThresholdController.class);

    private final MatchThreshold threshold;

    public ThresholdController(MatchThreshold threshold) {
        this.threshold = threshold;
    }

    /** The threshold in force. */
    @Get
    public ThresholdBody get() {
        return new ThresholdBody(threshold.get());
    }

    /** Sets the threshold for every face matched from now on; 400 unless it lies in [-1, 1]. */
    @Put
    @ApiResponse(responseCode = "400", description = "missing, or outside [-1, 1]")
    public ThresholdBody set(@Body ThresholdBody body) {
        if (body.threshold() == null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "field 'threshold' is required");
        }
        float before = threshold.get();
        try {
            threshold.set(body.threshold());
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        LOG.info("match threshold changed from {} to {}", before, body.threshold());
        return new ThresholdBody(threshold.get());
    }
}
