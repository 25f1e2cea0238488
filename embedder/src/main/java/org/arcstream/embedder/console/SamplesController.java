package org.arcstream.embedder.console;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.gallery.GalleryUnavailableException;
import org.arcstream.embedder.gallery.SampleInfo;
import org.arcstream.embedder.stream.EmbedderRuntime;

/** A person's enrollment samples for the console: list, aligned crop, delete one. */
@Controller("/console/api/identities/{id}/samples")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Requires(beans = EmbedderRuntime.class)
@Tag(name = "console")
public final class SamplesController {

    private final EmbedderRuntime runtime;

    public SamplesController(EmbedderRuntime runtime) {
        this.runtime = runtime;
    }

    /** A sample; {@code source} null when another instance holds the samples; {@code has_crop} false when no crop is kept here. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SampleView(String sampleId, @Nullable String source, long enrolledAt, boolean hasCrop) {}

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public List<SampleView> list(@PathVariable String id) {
        return gallery(g -> g.samples(id)).stream()
                .map(s -> new SampleView(s.sampleId(), s.source(), s.enrolledAtMillis(), s.cropPng() != null)).toList();
    }

    @Get("/{sampleId}/crop")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<byte[]> crop(@PathVariable String id, @PathVariable String sampleId) {
        SampleInfo sample = gallery(g -> g.samples(id)).stream().filter(s -> s.sampleId().equals(sampleId) && s.cropPng() != null)
                .findFirst().orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no crop of sample " + sampleId + " here"));
        return HttpResponse.ok(sample.cropPng()).contentType(MediaType.IMAGE_PNG_TYPE);
    }

    /** Deletes one sample; matching uses the identity's other samples from then on (none left: the identity is gone). */
    @Delete("/{sampleId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<Void> delete(@PathVariable String id, @PathVariable String sampleId) {
        if (!gallery(g -> g.deleteSample(id, sampleId))) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "identity '" + id + "' has no sample " + sampleId);
        }
        return HttpResponse.noContent();
    }

    private <T> T gallery(java.util.function.Function<GalleryService, T> call) {
        if (!runtime.ready()) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "the gallery is not available yet: stream state " + runtime.state());
        }
        try {
            return call.apply(runtime.gallery());
        } catch (GalleryUnavailableException e) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }
}
