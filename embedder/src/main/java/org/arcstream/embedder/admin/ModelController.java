package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.arcstream.embedder.model.ModelEntry;
import org.arcstream.embedder.model.ModelSwitchboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists the embedding model versions, promotes one, or rolls back to the previous one (blue/green, see the README). */
@Controller("/admin/models")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Requires(beans = ModelSwitchboard.class)
@Tag(name = "models")
public final class ModelController {

    private static final Logger LOG = LoggerFactory.getLogger(ModelController.class);

    private final ModelSwitchboard switchboard;

    public ModelController(ModelSwitchboard switchboard) {
        this.switchboard = switchboard;
    }

    /** Every known version with its metrics and state (refused ones with the reason), and which is active. */
    @Get
    public ModelsView list() {
        return new ModelsView(switchboard.activeVersion(), switchboard.previousVersion().orElse(null),
                switchboard.promoting().orElse(null), switchboard.models().stream().map(ModelView::of).toList());
    }

    /**
     * Starts the promotion of a version: checks, gallery re-index, switch of every instance. 202 at once;
     * {@code GET /admin/models} shows when it is active, or why it was refused.
     */
    @Post("/{version}/promote")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @ApiResponse(responseCode = "202", description = "promotion started")
    @ApiResponse(responseCode = "404", description = "no such version")
    @ApiResponse(responseCode = "409", description = "already active, or another promotion is running")
    public HttpResponse<ModelView> promote(@PathVariable String version) {
        return started("promotion of " + version, () -> switchboard.promote(version));
    }

    /** Promotes the version that was active before the current one; 409 when there is none. */
    @Post("/rollback")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @ApiResponse(responseCode = "202", description = "roll back started")
    @ApiResponse(responseCode = "409", description = "no previous version, or another promotion is running")
    public HttpResponse<ModelView> rollback() {
        return started("roll back", switchboard::rollback);
    }

    private static HttpResponse<ModelView> started(String what, Supplier<ModelEntry> action) {
        ModelEntry entry;
        try {
            entry = action.get();
        } catch (NoSuchElementException e) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        } catch (IllegalStateException e) {
            throw new HttpStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        LOG.info("{} requested through the admin API", what);
        return HttpResponse.accepted().body(ModelView.of(entry));
    }
}
