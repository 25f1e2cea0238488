package org.arcstream.embedder.console;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
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
import org.arcstream.embedder.gallery.SampleCrop;
import org.arcstream.embedder.stream.EmbedderRuntime;

/** A person's enrollment samples for the console: list, aligned crop, delete one. */
@Controller("/console/api/identities/{id}/samples")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Requires(beans = EmbedderRuntime.class)
@Tag(name = "console")
public final class SamplesController {

    /** The operator's browser only, and checked on every use, so that a deleted person's crop is not shown from its cache. */
    static final String CROP_CACHING = "private, no-cache";

    private final EmbedderRuntime runtime;

    public SamplesController(EmbedderRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * A sample; {@code source} null when another instance holds the samples; {@code has_crop} false when this
     * instance cannot serve its crop (another instance holds the samples, or it was stored before crops were served).
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SampleView(String sampleId, @Nullable String source, long enrolledAt, boolean hasCrop) {}

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public List<SampleView> list(@PathVariable String id) {
        return gallery(g -> g.samples(id)).stream()
                .map(s -> new SampleView(s.sampleId(), s.source(), s.enrolledAtMillis(), s.position() != null)).toList();
    }

    /**
     * The sample's aligned face crop (PNG), read from the enrollment topic; 404 once the sample is deleted.
     * The browser may keep it but asks again on every view ({@code no-cache}) with the ETag, which names the
     * record the crop comes from: 304 while the sample is unchanged, 404 after its deletion.
     */
    @Get("/{sampleId}/crop")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<byte[]> crop(@PathVariable String id, @PathVariable String sampleId, @Header(HttpHeaders.IF_NONE_MATCH) @Nullable String ifNoneMatch) {
        SampleCrop crop = gallery(g -> g.crop(id, sampleId))
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no crop of sample " + sampleId + " of '" + id + "' here"));
        String etag = "\"" + crop.position().partition() + "-" + crop.position().offset() + "\"";
        if (etag.equals(ifNoneMatch)) {
            return HttpResponse.<byte[]>notModified().header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CROP_CACHING);
        }
        return HttpResponse.ok(crop.png()).contentType(MediaType.IMAGE_PNG_TYPE)
                .header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CROP_CACHING);
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
