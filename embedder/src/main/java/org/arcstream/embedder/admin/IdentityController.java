package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.multipart.MultipartBody;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.gallery.GalleryUnavailableException;
import org.arcstream.embedder.stream.EmbedderRuntime;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Lists, shows, enrolls and deletes the identities the matcher recognizes. */
@Controller("/admin/identities")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Requires(beans = EmbedderRuntime.class)
@Tag(name = "identities")
public final class IdentityController {

    private final EmbedderRuntime runtime;
    private final AdminProperties admin;
    private final Scheduler blocking;
    private final UploadBudget uploads;

    public IdentityController(EmbedderRuntime runtime, AdminProperties admin,
            @Named(TaskExecutors.BLOCKING) ExecutorService blockingExecutor) {
        this.runtime = runtime;
        this.admin = admin;
        this.blocking = Schedulers.fromExecutorService(blockingExecutor);
        this.uploads = new UploadBudget(admin.enrollmentUploadBudget());
    }

    /** Every enrolled identity, ordered by id. */
    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public List<IdentityView> list() {
        return unavailableAs503(() -> gallery().identities()).stream().map(IdentityView::of).toList();
    }

    /** One identity; 404 when it is not enrolled. */
    @Get("/{id}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public IdentityView get(@PathVariable String id) {
        return unavailableAs503(() -> gallery().identity(id)).map(IdentityView::of).orElseThrow(() -> notFound(id));
    }

    /**
     * Enrolls images of one identity (a new one, or more samples of an existing one). Multipart fields:
     * {@code id}, {@code name}, optional {@code face} (which face of each image, 0 = the detector's best;
     * without it an image must show exactly one face) and one or more files in parts named {@code images}.
     * 201 when at least one image was enrolled; 200 when none was but some were already enrolled (each such
     * duplicate is listed with the sample it is the same as: the same image bytes and face); 422 when none was
     * enrolled and none was a duplicate. Each rejected image is listed with its reason.
     */
    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    @Operation(requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = EnrollmentUpload.class))))
    @ApiResponse(responseCode = "201", description = "at least one image enrolled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnrollResponse.class)))
    @ApiResponse(responseCode = "200", description = "nothing new enrolled: the images were already enrolled for this identity (duplicates)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnrollResponse.class)))
    @ApiResponse(responseCode = "400", description = "malformed request: missing or invalid fields, no images")
    @ApiResponse(responseCode = "413", description = "request or one image larger than the configured limits")
    @ApiResponse(responseCode = "422", description = "no image could be enrolled and none was already enrolled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnrollResponse.class)))
    @ApiResponse(responseCode = "503", description = "the stream is not running yet, or other enrollments hold the upload budget: retry later")
    public Mono<HttpResponse<EnrollResponse>> enroll(HttpRequest<?> request, @Body MultipartBody body) {
        // parts are checked and copied as they arrive: one image too many, or more image data than the budget
        // leaves, ends the request there; inference and the Kafka writes then run off the event loop
        UploadBudget.Lease lease = uploads.lease(request.getContentLength());
        EnrollmentForm.Reader reader = new EnrollmentForm.Reader(admin.maxImagesPerEnrollment(), lease::reserve);
        return Flux.from(body).doOnNext(reader::add).then(Mono.fromSupplier(reader::finish))
                .publishOn(blocking)
                .<HttpResponse<EnrollResponse>>map(form -> {
                    EnrollOutcome outcome = unavailableAs503(
                            () -> gallery().enroll(form.id(), form.name(), form.images(), form.faceIndex()));
                    EnrollResponse response = EnrollResponse.of(outcome);
                    if (!outcome.acceptedSamples().isEmpty()) {
                        return HttpResponse.created(response, URI.create("/admin/identities/" + form.id()));
                    }
                    // nothing new, but the identity already has every readable image: not an error
                    return outcome.duplicates().isEmpty()
                            ? HttpResponse.<EnrollResponse>status(HttpStatus.UNPROCESSABLE_ENTITY).body(response)
                            : HttpResponse.ok(response);
                })
                .doFinally(signal -> lease.close());
    }

    /** Removes an identity from matching and deletes its samples; 404 when it is not enrolled. */
    @Delete("/{id}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "404", description = "no such identity")
    public HttpResponse<Void> delete(@PathVariable String id) {
        if (!unavailableAs503(() -> gallery().delete(id))) {
            throw notFound(id);
        }
        return HttpResponse.noContent();
    }

    private GalleryService gallery() {
        if (!runtime.ready()) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    "the gallery is not available yet: stream state " + runtime.state());
        }
        return runtime.gallery();
    }

    /** Runs a gallery call; a gallery that cannot be reached right now is a 503, to be retried. */
    private static <T> T unavailableAs503(Supplier<T> call) {
        try {
            return call.get();
        } catch (GalleryUnavailableException e) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private static HttpStatusException notFound(String id) {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "no identity '" + id + "' is enrolled");
    }

    /** The multipart form of an enrollment, for the OpenAPI description. */
    @Schema(name = "EnrollmentUpload")
    record EnrollmentUpload(
            @Schema(description = "identity id: 1-128 letters, digits, '.', '_' or '-'", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(description = "display name", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "which face of each image to enroll, 0 = best; omit to require exactly one face") Integer face,
            @ArraySchema(arraySchema = @Schema(description = "images (JPEG, PNG, WebP, BMP, GIF or TIFF), one part each", requiredMode = Schema.RequiredMode.REQUIRED),
                    schema = @Schema(type = "string", format = "binary"), minItems = 1) List<String> images) {}
}
