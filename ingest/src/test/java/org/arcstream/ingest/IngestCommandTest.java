package org.arcstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.arcstream.ingest.topics.FrameHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestCommandTest {

    private static EmbeddedKafkaBroker broker;

    private static final String TOPIC = "frames-cli";

    @BeforeAll
    static void startBroker() {
        broker = SharedBroker.get();
        broker.createTopics(Map.of(TOPIC, 1));
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void publishesAFolderAndPrintsTheCountsAsJson() throws Exception {
        Path folder = IngestTestData.lfwImages(1, 1).get(0).getParent();
        Result r = run("--bootstrap-servers", broker.bootstrapServers(), "--topic", TOPIC, "--camera", "hall",
                "--source", folder.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode stats = new ObjectMapper().readTree(r.out());
        assertEquals("hall", stats.get("camera").asText());
        assertEquals(10, stats.get("read").asLong());
        assertEquals(10, stats.get("sent").asLong());
        assertEquals(0, stats.get("failed").asLong());
        var records = FramesTopic.read(broker.bootstrapServers(), TOPIC, 10);
        assertEquals(10, records.stream().filter(x -> "hall".equals(FrameHeaders.string(x.headers(), FrameHeaders.CAMERA))).count());
    }

    @Test
    void aSourceThatCannotBeOpenedIsAClearErrorAndANonZeroExit() {
        Result r = run("--bootstrap-servers", broker.bootstrapServers(), "--source", "/no/such/folder");
        assertEquals(2, r.exit());
        assertEquals("arcstream ingest: cannot open source /no/such/folder: no such file or directory", r.err().strip());
        assertTrue(r.out().isEmpty());
    }

    @Test
    void aMissingTopicIsNamedInsteadOfEveryFrameTimingOut() {
        Path folder = IngestTestData.lfwImages(1, 1).get(0).getParent();
        Result r = run("--bootstrap-servers", broker.bootstrapServers(), "--topic", "nope", "--source", folder.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("topic nope does not exist"), r.err());
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        Result r = run("--source", "/tmp");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--bootstrap-servers"), r.err());
    }
}
