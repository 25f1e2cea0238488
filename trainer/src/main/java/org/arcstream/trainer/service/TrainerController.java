package org.arcstream.trainer.service;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import java.util.Map;
import org.arcstream.core.cli.Json;
import org.arcstream.trainer.delivery.Roles;

/**
 * The admin API (behind HTTP Basic, see {@link ConfiguredUserAuthenticationProvider}): start a run, follow
 * runs, list model versions with their metrics. Bodies are the same JSON the CLI prints and the store
 * writes (Jackson, snake_case field names like every API and topic).
 */
@Controller("/admin")
// the admin only: the embedders' model user is authenticated too, but may read model files and nothing else
@Secured(Roles.ADMIN)
public final class TrainerController {

    private final TrainingService service;
    private final RunHistory history;

    public TrainerController(TrainingService service, RunHistory history) {
        this.service = service;
        this.history = history;
    }

    /** 202 with the new run; 409 with the active run when one is already queued or running. */
    @Post("/runs")
    public HttpResponse<String> start() {
        TrainingService.Submission s = service.submit("admin");
        return json(s.started() ? HttpStatus.ACCEPTED : HttpStatus.CONFLICT, s.run());
    }

    @Get("/runs")
    public HttpResponse<String> runs() {
        return json(HttpStatus.OK, history.all());
    }

    @Get("/runs/{id}")
    public HttpResponse<String> run(@PathVariable String id) {
        return history.get(id).map(r -> json(HttpStatus.OK, r))
                .orElseGet(() -> json(HttpStatus.NOT_FOUND, Map.of("error", "no run " + id)));
    }

    /** Every stored model, oldest first, with its parent, data counts, metrics and gate decision. */
    @Get("/models")
    public HttpResponse<String> models() {
        return json(HttpStatus.OK, service.store().list());
    }

    private static HttpResponse<String> json(HttpStatus status, Object body) {
        return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(Json.line(body));
    }
}
