package org.arcstream.embedder.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
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
        Path lfw = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(lfw), "LFW sample not found at " + lfw);
        for (String person : List.of("Colin_Powell", "Donald_Rumsfeld", "George_W_Bush", "Hugo_Chavez")) {
            Files.createDirectories(gallery.resolve(person));
            try (Stream<Path> files = Files.list(lfw.resolve(person))) {
                for (Path file : files.sorted().limit(7).toList()) {
                    Files.copy(file, gallery.resolve(person).resolve(file.getFileName()));
                }
            }
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new DemoCommand()).execute("--gallery", gallery.toString(), "--source", gallery.toString(),
                    "--enroll-per-identity", "5", "--json");
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, exit, String.join("\n", lines));
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
}
