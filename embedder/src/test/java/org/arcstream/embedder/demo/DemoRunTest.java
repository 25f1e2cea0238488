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
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** {@code demo --json}: enroll 5 images of each LFW identity through the enrollment topic, stream the other 50. */
class DemoRunTest {

    @Test
    void theDemoRecognizesEveryStreamedFaceAndSummarizesInJson() throws Exception {
        Path lfw = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(lfw), "LFW sample not found at " + lfw);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new DemoCommand()).execute("--gallery", lfw.toString(), "--source", lfw.toString(),
                    "--enroll-per-identity", "5", "--json");
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, exit, String.join("\n", lines));
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(50, summary.get("frames").asInt());
        assertEquals(50, summary.get("correct").asInt(), "recognized correctly");
        assertEquals(0, summary.get("dead_lettered").asInt());
        int faces = summary.get("faces").asInt();
        assertEquals(faces, summary.get("recognized").asInt() + summary.get("unknown").asInt());
        assertEquals(faces, lines.size() - 1, "one line per match");
        assertTrue(lines.get(0).startsWith("demo #"), lines.get(0));
        assertTrue(summary.get("frames_per_s").asDouble() > 0);
        assertTrue(summary.get("latency_p50_ms").asDouble() <= summary.get("latency_p99_ms").asDouble());
    }
}
