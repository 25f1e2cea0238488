package org.arcstream.embedder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameRef;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.admin.RecentMatches;
import org.junit.jupiter.api.Test;

/** The console's bounded stores and what the live API makes of them, without Kafka or HTTP. */
class ConsoleStoresTest {

    @Test
    void unknownFacesAreGroupedBySimilarityWithinOneModelVersion() {
        UnknownFaces faces = new UnknownFaces(10);
        // a and a2 are the same direction, b is orthogonal, c is a's direction under another model version
        add(faces, "cam", 1, unit(1, 0, 0), "m1", "unknown");
        add(faces, "cam", 2, unit(0.99f, 0.1f, 0), "m1", "unknown");
        add(faces, "cam", 3, unit(0, 1, 0), "m1", "unknown");
        add(faces, "cam", 4, unit(1, 0, 0), "m2", "unknown");
        add(faces, "cam", 5, unit(1, 0, 0), "m1", "ann");

        List<List<UnknownFaces.Face>> groups = faces.groups(0.5f);
        assertEquals(3, groups.size(), "a and a2 together; b alone; the other model version alone; the recognized face left out");
        assertEquals(List.of(2L, 1L), groups.get(0).stream().map(f -> f.match().sequence()).toList(), "largest group first, newest first");

        faces.dismiss(List.of(new UnknownFaces.FaceKey("cam", 1, 0), new UnknownFaces.FaceKey("cam", 2, 0)));
        assertTrue(faces.groups(0.5f).stream().allMatch(g -> g.size() == 1), "dismissed faces leave review");
        assertTrue(faces.embedding(new UnknownFaces.FaceKey("cam", 5, 0)).isPresent(), "a recognized face's embedding is kept for labels");
    }

    @Test
    void aThresholdAboveEveryCosineKeepsEachFaceAlone() {
        UnknownFaces faces = new UnknownFaces(10);
        add(faces, "cam", 1, unit(1, 0, 0), "m1", "unknown");
        add(faces, "cam", 2, unit(0.9f, 0.43f, 0), "m1", "unknown");
        assertEquals(1, faces.groups(0.8f).size());
        assertEquals(2, faces.groups(0.95f).size());
    }

    @Test
    void frameSamplesStayWithinTheirBoundsAndKeepEachCamerasLatest() {
        FrameSamples frames = new FrameSamples(3, 1000);
        frames.add(frame("a", 1, 100));
        frames.add(frame("b", 1, 100));
        for (long s = 2; s <= 6; s++) {
            frames.add(frame("a", s, 100));
        }
        assertTrue(frames.get("b", 1).isPresent(), "camera b's only frame stays");
        assertTrue(frames.get("a", 6).isPresent() && frames.get("a", 5).isPresent());
        assertFalse(frames.get("a", 4).isPresent(), "three frames at most");
        assertEquals(List.of("a", "b"), frames.latestPerCamera().stream().map(FrameSamples.Frame::camera).toList());

        frames.add(frame("a", 7, 900));
        assertFalse(frames.get("a", 6).isPresent(), "the byte bound drops older frames");
        assertTrue(frames.get("b", 1).isPresent() && frames.get("a", 7).isPresent());
        frames.add(frame("c", 1, 1001));
        assertFalse(frames.get("c", 1).isPresent(), "a frame above the byte bound is not kept");
    }

    @Test
    void framesAreServedAsImagesOnlyWhenTheirTypeIsAnImageType() {
        FrameSamples frames = new FrameSamples(4, 10_000);
        frames.add(new FrameSamples.Frame("cam", 1, 0, "image/jpeg", new byte[] {1}));
        frames.add(new FrameSamples.Frame("cam", 2, 0, "text/html", "<script>alert(1)</script>".getBytes()));
        frames.add(new FrameSamples.Frame("cam", 3, 0, null, new byte[] {1}));
        LiveController live = new LiveController(new MatchLog(10), frames, new DeadLetterLog(10));
        assertEquals("image/jpeg", type(live.frame("cam", 1)));
        assertEquals("application/octet-stream", type(live.frame("cam", 2)), "a frame labelled text/html must not run as a page");
        assertEquals("application/octet-stream", type(live.frame("cam", 3)));
    }

    @Test
    void theThresholdPreviewCountsTheLastFacesAtOrAboveIt() {
        MatchLog matches = new MatchLog(10);
        float[] scores = {0.2f, 0.4f, 0.6f, 0.8f};
        for (int i = 0; i < scores.length; i++) {
            matches.add(match("cam", i, scores[i], "m1", "unknown"));
        }
        LiveController live = new LiveController(matches, new FrameSamples(1, 1), new DeadLetterLog(1));
        assertEquals(new LiveController.ThresholdPreview(0.4f, 4, 3), live.thresholdPreview(0.4f, null));
        assertEquals(new LiveController.ThresholdPreview(0.4f, 2, 2), live.thresholdPreview(0.4f, 2), "the newest two: 0.8 and 0.6");
        assertEquals(new LiveController.ThresholdPreview(0.9f, 4, 0), live.thresholdPreview(0.9f, null));
    }

    @Test
    void aDeletedPersonsMatchesLeaveTheLogAndTheLiveFeedAndOlderOnesStillReadStayOut() {
        RecentMatches recent = new RecentMatches(10);
        MatchLog matches = new MatchLog(10);
        recent.forgetAlsoIn(identity -> matches.forget(identity, 1_000));
        matches.add(match("cam", 1, 0.8f, "m1", "alice"));
        matches.add(match("cam", 2, 0.8f, "m1", "bob"));
        recent.forget("alice");
        // captured before the delete, read from the topic after it
        matches.add(match("cam", 3, 0.8f, "m1", "alice"));
        assertEquals(List.of("bob"), matches.latest(m -> true, 10).stream().map(MatchRecord::identity).toList());
        assertEquals(List.of("bob"), matches.live().take(Duration.ofMillis(200)).map(MatchRecord::identity).collectList().block());
        MatchRecord later = new MatchRecord(MatchRecord.VERSION, "cam", 4, 0, 4, 2_000, 0, new float[] {0, 0, 10, 10}, "alice",
                "alice", 0.8f, -1f, 0.38f, "m1");
        matches.add(later);
        assertEquals(List.of("alice", "bob"), matches.latest(m -> true, 10).stream().map(MatchRecord::identity).toList(),
                "enrolled again after the delete: shown");
    }

    private static String type(HttpResponse<?> response) {
        return response.getContentType().orElseThrow().toString();
    }

    private static void add(UnknownFaces faces, String camera, long sequence, float[] embedding, String model, String identity) {
        faces.face(new FaceEmbeddingRecord(new FrameRef(camera, sequence, 0, sequence), 0, 0, new FaceBox(0, 0, 10, 10, 0.99f),
                new float[10], model, embedding));
        faces.match(match(camera, sequence, 0.1f, model, identity));
    }

    private static MatchRecord match(String camera, long sequence, float score, String model, String identity) {
        return new MatchRecord(MatchRecord.VERSION, camera, sequence, 0, sequence, 0, 0, new float[] {0, 0, 10, 10},
                identity, identity.equals("unknown") ? null : identity, score, -1f, 0.38f, model);
    }

    private static FrameSamples.Frame frame(String camera, long sequence, int bytes) {
        return new FrameSamples.Frame(camera, sequence, 0, "image/jpeg", new byte[bytes]);
    }

    private static float[] unit(float... v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }
}
