package org.arcstream.embedder.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.GalleryUnavailableException;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderRuntime;

/**
 * Review: recent unknown faces grouped by similarity, named (enrolled from their frames) or dismissed; and
 * wrong recognitions marked, which become labelled negatives on the labels topic.
 */
@Controller("/console/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@io.micronaut.context.annotation.Requires(beans = TopicTail.class)
@Tag(name = "console")
public final class ReviewController {

    private final UnknownFaces unknownFaces;
    private final MatchLog matches;
    private final FrameSamples frames;
    private final MatchThreshold threshold;
    private final EmbedderRuntime runtime;
    private final LabelWriter labels;

    public ReviewController(UnknownFaces unknownFaces, MatchLog matches, FrameSamples frames, MatchThreshold threshold,
            EmbedderRuntime runtime, LabelWriter labels) {
        this.unknownFaces = unknownFaces;
        this.matches = matches;
        this.frames = frames;
        this.threshold = threshold;
        this.runtime = runtime;
        this.labels = labels;
    }

    /** A face of a frame, as requests name it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record FaceRef(String camera, long sequence, int face) {
        UnknownFaces.FaceKey key() {
            return new UnknownFaces.FaceKey(camera, sequence, face);
        }
    }

    /** Unknown faces that look like the same person (cosine at or above the match threshold). */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record UnknownGroup(List<LiveMatch> faces) {}

    @Get("/unknowns")
    public List<UnknownGroup> unknowns() {
        return unknownFaces.groups(threshold.get()).stream()
                .map(g -> new UnknownGroup(g.stream().map(f -> LiveMatch.of(f.match())).toList())).toList();
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Dismissal(List<FaceRef> faces) {}

    @Post("/unknowns/dismiss")
    public HttpResponse<?> dismiss(@Body Dismissal body) {
        unknownFaces.dismiss(keys(body.faces()));
        return HttpResponse.noContent();
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Naming(String id, String name, List<FaceRef> faces) {}

    /** What naming a group did: per face, accepted or the reason it was not. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record NamingResult(String identity, int accepted, List<String> rejected) {}

    /**
     * Enrolls the group's faces as one identity, each from its kept frame (the frame's face of that index);
     * faces whose frame is no longer kept are reported. The named faces leave review.
     */
    @Post("/unknowns/name")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<NamingResult> name(@Body Naming body) {
        if (body.id() == null || body.name() == null || body.faces() == null || body.faces().isEmpty()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "id, name and at least one face are required");
        }
        if (!runtime.ready()) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "the gallery is not available yet: stream state " + runtime.state());
        }
        int accepted = 0;
        List<String> rejected = new ArrayList<>();
        for (FaceRef face : body.faces()) {
            String label = face.camera() + "/" + face.sequence() + "#" + face.face();
            var frame = frames.get(face.camera(), face.sequence());
            if (frame.isEmpty()) {
                rejected.add(label + ": the frame is no longer kept");
                continue;
            }
            try {
                EnrollOutcome outcome = runtime.gallery().enroll(body.id(), body.name(),
                        List.of(new EnrollImage(label, frame.get().bytes())), OptionalInt.of(face.face()));
                accepted += outcome.acceptedSamples().size();
                outcome.rejected().forEach(r -> rejected.add(label + ": " + r.reason()));
                outcome.duplicates().forEach(d -> rejected.add(label + ": already enrolled as sample " + d.sampleId()));
            } catch (IllegalArgumentException e) {
                throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            } catch (GalleryUnavailableException e) {
                throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
        }
        unknownFaces.dismiss(keys(body.faces()));
        NamingResult result = new NamingResult(body.id(), accepted, rejected);
        return accepted > 0 ? HttpResponse.ok(result) : HttpResponse.<NamingResult>status(HttpStatus.UNPROCESSABLE_ENTITY).body(result);
    }

    /**
     * Marks a recognition as wrong: writes a labelled negative (this face is not that identity, with its
     * embedding when still kept) to the labels topic and answers once Kafka has it.
     */
    @Post("/labels/wrong")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> markWrong(@Body FaceRef body, Authentication operator) {
        MatchRecord match = matches.latest(m -> m.camera().equals(body.camera()) && m.sequence() == body.sequence()
                && m.face() == body.face(), 1).stream().findFirst().orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND,
                        "face " + body.face() + " of " + body.camera() + "/" + body.sequence() + " is no longer kept"));
        if (!match.known()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "the face was not recognized as anybody");
        }
        float[] embedding = unknownFaces.embedding(body.key()).orElse(null);
        try {
            labels.write(new LabelRecord(LabelRecord.VERSION, LabelRecord.WRONG_IDENTITY, match.camera(), match.sequence(),
                    match.face(), match.capturedAt(), match.identity(), match.score(), match.modelVersion(), embedding,
                    System.currentTimeMillis(), operator.getName()));
        } catch (ExecutionException | TimeoutException e) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not take the label: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
        }
        return HttpResponse.noContent();
    }

    private static List<UnknownFaces.FaceKey> keys(List<FaceRef> faces) {
        return faces == null ? List.of() : faces.stream().map(FaceRef::key).toList();
    }
}
