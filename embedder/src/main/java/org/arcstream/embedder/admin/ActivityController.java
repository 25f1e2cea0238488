package org.arcstream.embedder.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** What the stream has done lately: the latest matches and the totals since start. */
@Controller("/admin")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "matching")
public final class ActivityController {

    private final RecentMatches recent;
    private final PipelineMetrics metrics;

    public ActivityController(RecentMatches recent, PipelineMetrics metrics) {
        this.recent = recent;
        this.metrics = metrics;
    }

    /**
     * The latest matches, newest first.
     *
     * @param limit how many (default 20, at most {@code embedder.admin.recent-matches})
     */
    @Get("/matches")
    public List<RecentMatch> matches(@QueryValue @Nullable Integer limit) {
        int n = limit == null ? Math.min(20, recent.capacity()) : limit;
        if (n < 1 || n > recent.capacity()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "limit must lie in [1, " + recent.capacity() + "], got " + n);
        }
        return recent.latest(n).stream().map(RecentMatch::of).toList();
    }

    /** Frames, faces, recognized and unknown faces, and dead-lettered records since the service started. */
    @Get("/counters")
    public PipelineCounters counters() {
        return metrics.counters();
    }
}
