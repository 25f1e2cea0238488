package org.arcstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        int exit = CommandLines.create(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
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
        assertEquals(10, records.stream().filter(x -> "hall".equals(FrameRecordHeaders.string(x.headers(), FrameHeaders.CAMERA))).count());
    }

    @Test
    void onATopicThatTakesLessThanTheDefaultFrameLimitThePlainRunIsQuietAndAGivenLargerLimitIsWarnedAbout() {
        String small = "frames-small";
        broker.createTopics(Map.of(small, 1));
        Path folder = IngestTestData.lfwImages(1, 1).get(0).getParent();

        Result plain = run("--bootstrap-servers", broker.bootstrapServers(), "--topic", small, "--source", folder.toString(), "--json");
        assertEquals(0, plain.exit(), plain.err());
        assertEquals("", plain.err(), "a run with the default limit against a broker's default topic says nothing");

        Result given = run("--bootstrap-servers", broker.bootstrapServers(), "--topic", small, "--source", folder.toString(),
                "--max-frame-bytes", "" + (8 << 20), "--json");
        assertEquals(0, given.exit(), given.err());
        assertTrue(given.err().contains("warning: topic " + small + " accepts records up to"), given.err());
    }

    @Test
    void aSourceThatDoesNotExistIsAUsageErrorInOneLine() {
        Result r = run("--bootstrap-servers", broker.bootstrapServers(), "--source", "/no/such/folder");
        assertEquals(2, r.exit());
        assertEquals("arcstream ingest: cannot open source /no/such/folder: no such file or directory (see 'arcstream ingest --help')",
                r.err().strip());
        assertTrue(r.out().isEmpty());
        Result scheme = run("--bootstrap-servers", broker.bootstrapServers(), "--source", "ftp://user:secret@cam/x");
        assertEquals(2, scheme.exit());
        assertTrue(scheme.err().contains("unsupported scheme"), scheme.err());
        assertFalse(scheme.err().contains("secret"), scheme.err());
    }

    @Test
    void aSourceThatCannotBeReachedIsAFailure() {
        Result r = run("--bootstrap-servers", broker.bootstrapServers(), "--source", "http://127.0.0.1:1/stream.mjpg", "--read-timeout", "1");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("arcstream ingest: cannot open source http://127.0.0.1:1/stream.mjpg: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aMissingTopicIsNamedInsteadOfEveryFrameTimingOut() {
        Path folder = IngestTestData.lfwImages(1, 1).get(0).getParent();
        Result r = run("--bootstrap-servers", broker.bootstrapServers(), "--topic", "nope", "--source", folder.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("topic nope does not exist"), r.err());
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        Result r = run("--source", "/tmp");
        assertEquals(2, r.exit());
        assertEquals("arcstream ingest: Missing required option: '--bootstrap-servers=HOST:PORT[,...]' (see 'arcstream ingest --help')",
                r.err().strip());
    }
}
