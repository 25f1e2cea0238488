package org.arcstream.demo.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.demo.CommandRun;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.Test;

/**
 * One short drill end to end: the broker in this JVM, the embedder and ingest as JVMs of their own, poison
 * records on every input topic while frames stream, and the JSON report.
 */
class DrillCommandTest {

    @Test
    void aPoisonRecordsDrillReportsEveryFrameMatchedOnceInTheDocumentedJson() throws Exception {
        CommandRun run = CommandRun.of(new DrillCommand(), "--drill", "poison-records", "--frames", "9", "--fps", "3", "--json",
                "--source", IngestTestData.lfw10().toString());

        assertEquals(0, run.exit(), run.output());
        JsonNode report = new ObjectMapper().readTree(run.lastLine());
        assertEquals(List.of("drills"), names(report));
        assertEquals(1, report.get("drills").size());
        JsonNode drill = report.get("drills").get(0);
        assertEquals(List.of("name", "frames_sent", "matched_once", "lost", "duplicated", "recovered_s"), names(drill));
        assertEquals("poison-records", drill.get("name").asText());
        assertEquals(9, drill.get("frames_sent").asInt());
        assertEquals(9, drill.get("matched_once").asInt());
        assertEquals(0, drill.get("lost").asInt());
        assertEquals(0, drill.get("duplicated").asInt());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
