package org.arcstream.embedder.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.topics.MatchRecord;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * What the console shows of the stream: matches as they happen (Server-Sent Events), each camera's latest
 * frame with its faces, face crops, a person's recent recognitions, the threshold preview and dead letters.
 */
@Controller("/console/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@io.micronaut.context.annotation.Requires(beans = TopicTail.class)
@Tag(name = "console")
public final class LiveController {

    /** A comment line now and then keeps proxies from closing an idle event stream. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final java.util.Set<String> IMAGE_TYPES = java.util.Set.of(
            "image/jpeg", "image/png", "image/webp", "image/bmp", "image/gif", "image/tiff");

    private final MatchLog matches;
    private final FrameSamples frames;
    private final DeadLetterLog deadLetters;
    private final FaceCrops crops = new FaceCrops(new ImageDecoder());

    public LiveController(MatchLog matches, FrameSamples frames, DeadLetterLog deadLetters) {
        this.matches = matches;
        this.frames = frames;
        this.deadLetters = deadLetters;
    }

    /** Event {@code match} per face matched, starting with the latest ones kept. */
    @Get("/live")
    @Produces(MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<?>> live() {
        Flux<Event<?>> events = matches.live().map(m -> Event.of(LiveMatch.of(m)).name("match"));
        Flux<Event<?>> keepAlive = Flux.interval(KEEP_ALIVE).map(i -> Event.of("").comment("keep-alive"));
        return Flux.merge(events, keepAlive);
    }

    /** A camera's latest frame and the faces matched in it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record CameraView(String camera, long sequence, long capturedAt, List<LiveMatch> faces) {}

    @Get("/cameras")
    public List<CameraView> cameras() {
        return frames.latestPerCamera().stream().map(f -> new CameraView(f.camera(), f.sequence(), f.capturedAt(),
                matches.latest(m -> m.camera().equals(f.camera()) && m.sequence() == f.sequence(), 64)
                        .stream().map(LiveMatch::of).toList())).toList();
    }

    /** A kept frame as the camera sent it; 404 once it is no longer kept. */
    @Get("/frames/{camera}/{sequence}")
    public HttpResponse<byte[]> frame(@PathVariable String camera, @PathVariable long sequence) {
        FrameSamples.Frame f = frame(camera, sequence, "frame");
        // the content type comes from whoever wrote the frame: only image types are passed on, so that a
        // frame labelled text/html cannot run as a page of the console's origin
        String type = f.contentType() != null && IMAGE_TYPES.contains(f.contentType()) ? f.contentType() : MediaType.APPLICATION_OCTET_STREAM;
        return HttpResponse.ok(f.bytes()).contentType(type);
    }

    /** The face's crop (PNG) from a kept frame; 404 once the frame is no longer kept. */
    @Get("/frames/{camera}/{sequence}/faces/{face}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<byte[]> crop(@PathVariable String camera, @PathVariable long sequence, @PathVariable int face) {
        FrameSamples.Frame f = frame(camera, sequence, "frame");
        MatchRecord m = matches.latest(r -> r.camera().equals(camera) && r.sequence() == sequence && r.face() == face, 1)
                .stream().findFirst().orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND,
                        "face " + face + " of " + camera + "/" + sequence + " is no longer kept"));
        try {
            return HttpResponse.ok(crops.crop(f.bytes(), m.box())).contentType(MediaType.IMAGE_PNG_TYPE);
        } catch (ImageDecodeException e) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        }
    }

    /** A person's recent recognitions (kept matches) and how often each camera saw them. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Activity(String identity, List<LiveMatch> recent, Map<String, Integer> perCamera) {}

    @Get("/identities/{id}/activity")
    public Activity activity(@PathVariable String id) {
        return new Activity(id, matches.latest(m -> m.identity().equals(id), 20).stream().map(LiveMatch::of).toList(),
                matches.countsByCamera(id));
    }

    /** How many of the last faces a threshold would accept: their best score at or above it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record ThresholdPreview(float threshold, int faces, int accepted) {}

    @Get("/threshold-preview")
    public ThresholdPreview thresholdPreview(@QueryValue float threshold, @QueryValue @Nullable Integer last) {
        if (!(threshold >= -1f && threshold <= 1f)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "threshold must lie in [-1, 1], got " + threshold);
        }
        int n = last == null ? 200 : last;
        if (n < 1) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "last must be at least 1, got " + n);
        }
        List<MatchRecord> recent = matches.latest(m -> true, n);
        int accepted = (int) recent.stream().filter(m -> m.score() >= threshold).count();
        return new ThresholdPreview(threshold, recent.size(), accepted);
    }

    @Get("/dead-letters")
    public List<DeadLetterLog.DeadLetter> deadLetters() {
        return deadLetters.latest();
    }

    private FrameSamples.Frame frame(String camera, long sequence, String what) {
        return frames.get(camera, sequence).orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND,
                what + " " + camera + "/" + sequence + " is no longer kept"));
    }
}
