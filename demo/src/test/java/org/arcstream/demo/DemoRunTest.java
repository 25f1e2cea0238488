package org.arcstream.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --json} on part of the LFW sample (four identities, seven images each): five of each
 * enrolled through the enrollment topic, the other eight streamed as frames. The whole sample runs
 * in EmbedderOnBrokerTest.
 */
class DemoRunTest {

    @TempDir
    Path gallery;

    @Test
    void theDemoRecognizesEveryStreamedFaceAndSummarizesInJson() throws Exception {
        copyGallery();
        CommandRun run = CommandRun.of(new DemoCommand(), "--gallery", gallery.toString(), "--source", gallery.toString(),
                "--enroll-per-identity", "5", "--json");
        List<String> lines = run.lines();
        assertEquals(0, run.exit(), run.output());
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(8, summary.get("frames").asInt());
        assertEquals(8, summary.get("correct").asInt(), "recognized correctly");
        assertEquals(0, summary.get("dead_lettered").asInt());
        int faces = summary.get("faces").asInt();
        assertEquals(faces, summary.get("recognized").asInt() + summary.get("unknown").asInt());
        assertEquals(faces, lines.size() - 1, "one line per match");
        assertTrue(lines.get(0).startsWith("demo #"), lines.get(0));
        assertTrue(summary.get("frames_per_s").asDouble() > 0);
        assertTrue(summary.get("latency_p50_ms").asDouble() <= summary.get("latency_p99_ms").asDouble());
    }

    /** A video file is a source too: each decoded picture is a frame, named in order by the person shown. */
    @Test
    void theDemoStreamsAVideoFile(@TempDir Path work) throws Exception {
        copyGallery();
        List<Path> shown = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String person : PEOPLE) {
            try (Stream<Path> files = Files.list(gallery.resolve(person))) {
                // the last two images of each person were not enrolled
                files.sorted().skip(5).forEach(f -> {
                    shown.add(f);
                    expected.add(person.replace('_', ' '));
                });
            }
        }
        Path video = IngestTestData.video(work.resolve("lobby.mp4"), shown);
        CommandRun run = CommandRun.of(new DemoCommand(), "--gallery", gallery.toString(), "--source", video.toString(),
                "--enroll-per-identity", "5", "--json");
        List<String> lines = run.lines();
        assertEquals(0, run.exit(), run.output());
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(shown.size(), summary.get("frames").asInt());
        assertEquals(0, summary.get("dead_lettered").asInt());
        assertEquals(0, summary.get("labeled").asInt(), "video frames carry no folder label");
        Map<Integer, String> bestFaceBySequence = new TreeMap<>();
        for (String line : lines.subList(0, lines.size() - 1)) {
            Matcher m = MATCH_LINE.matcher(line);
            assertTrue(m.matches(), line);
            if (m.group(2).equals("0")) {
                bestFaceBySequence.put(Integer.parseInt(m.group(1)), m.group(3));
            }
        }
        assertEquals(expected, List.copyOf(bestFaceBySequence.values()), "the person of every video frame, in order");
    }

    /**
     * Every frame the source offers is accounted for: sent (and then matched) or dropped with its reason. The
     * source holds the four images of two people that were not enrolled, a JPEG padded past what the
     * in-process broker accepts, and a file named like an image that is not one.
     */
    @Test
    void theDemoAccountsForEveryFrameOfferedAndSaysWhyFramesWereDropped(@TempDir Path source) throws Exception {
        copyGallery();
        Path first = null;
        for (String person : List.of("Colin_Powell", "Hugo_Chavez")) {
            Files.createDirectories(source.resolve(person));
            try (Stream<Path> files = Files.list(gallery.resolve(person))) {
                for (Path file : files.sorted().skip(5).toList()) {
                    Files.copy(file, source.resolve(person).resolve(file.getFileName()));
                    first = first == null ? file : first;
                }
            }
        }
        // a real JPEG whose file goes on past the broker's limit of about 1 MB
        Files.write(source.resolve("Colin_Powell/zz_huge.jpg"), Arrays.copyOf(Files.readAllBytes(first), 1_200_000));
        Files.writeString(source.resolve("Hugo_Chavez/notes.jpg"), "not an image");

        CommandRun run = CommandRun.of(new DemoCommand(), "--gallery", gallery.toString(), "--source", source.toString(),
                "--enroll-per-identity", "5", "--json");
        assertEquals(0, run.exit(), run.output());
        JsonNode summary = new ObjectMapper().readTree(run.lastLine());
        assertEquals(6, summary.get("offered").asInt(), run.lastLine());
        assertEquals(4, summary.get("frames_sent").asInt());
        assertEquals(4, summary.get("frames").asInt(), "frames keeps counting the frames sent");
        assertEquals(2, summary.get("dropped").asInt());
        assertEquals(summary.get("offered").asInt(), summary.get("frames_sent").asInt() + summary.get("dropped").asInt(),
                "every frame offered is sent or dropped");
        assertEquals(1, summary.get("dropped_unreadable").asInt());
        assertEquals(1, summary.get("dropped_too_large").asInt());
        assertEquals(0, summary.get("dropped_rejected").asInt());
        assertEquals(0, summary.get("dropped_left_out").asInt());
        assertTrue(summary.get("max_frame_bytes").asInt() < 1_200_000, "the limit is what the broker accepts");
        List<String> reasons = new ArrayList<>();
        summary.get("dropped_reasons").forEach(r -> reasons.add(r.asText()));
        assertEquals(2, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).startsWith("1 unreadable"), reasons.toString());
        assertTrue(reasons.get(1).startsWith("1 larger than the broker accepts"), reasons.toString());
        assertEquals(summary.get("frames_sent").asInt(), summary.get("frames_matched").asInt()
                + summary.get("frames_dead_lettered").asInt() + summary.get("frames_without_verdict").asInt(),
                "every frame sent is matched, dead-lettered or still without a verdict");
        assertEquals(4, summary.get("frames_matched").asInt());
        assertEquals(4, summary.get("correct").asInt(), "recognized correctly");
    }

    private static final List<String> PEOPLE = List.of("Colin_Powell", "Donald_Rumsfeld", "George_W_Bush", "Hugo_Chavez");
    private static final Pattern MATCH_LINE = Pattern.compile("demo #(\\d+) face (\\d+): (.+) \\(score .*");

    private void copyGallery() throws Exception {
        Path lfw = IngestTestData.lfw10();
        for (String person : PEOPLE) {
            Files.createDirectories(gallery.resolve(person));
            try (Stream<Path> files = Files.list(lfw.resolve(person))) {
                for (Path file : files.sorted().limit(7).toList()) {
                    Files.copy(file, gallery.resolve(person).resolve(file.getFileName()));
                }
            }
        }
    }
}
