package org.arcstream.embedder.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arcstream.embedder.CommandRun;
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
