package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.arcstream.core.cli.ConsoleCapture.Run;
import org.junit.jupiter.api.Test;

/** The figures of {@code match-benchmark --json} under the names that checks read; no timing is judged. */
class MatchBenchmarkCommandTest {

    @Test
    void jsonCarriesEveryFigureUnderItsName() throws Exception {
        Run run = ConsoleCapture.run(ArcstreamCli::run, "match-benchmark", "--identities", "2000", "--queries", "200",
                "--no-real-faces", "--json");

        assertEquals(0, run.exit(), run.err());
        JsonNode figures = new ObjectMapper().readTree(run.out().strip());
        for (String field : List.of("identities", "ann_recall_at_1", "ann_p50_ms", "ann_p99_ms", "ann_cpu_p99_ms", "ann_update_visible_ms",
                "ann_bytes_per_identity", "raw_bytes_per_identity", "exact_p99_ms", "exact_gb_per_s", "bandwidth_gb_per_s")) {
            assertTrue(figures.hasNonNull(field), field + " missing from " + run.out());
            assertTrue(figures.get(field).isNumber(), field + " is not a number: " + figures.get(field));
        }
        assertEquals(2000, figures.get("identities").asInt());
        assertEquals(2048, figures.get("raw_bytes_per_identity").asInt());
        assertEquals(200, figures.get("queries").asInt());
        // synthetic faces lie at cosine 0.7 to their centroid, far above any other: both matchers find them
        assertEquals(1.0, figures.get("exact_top1").asDouble());
        assertTrue(figures.get("ann_recall_at_1").asDouble() >= 0.99, run.out());
    }

    @Test
    void tooSmallAGalleryIsAUsageError() {
        Run run = ConsoleCapture.run(ArcstreamCli::run, "match-benchmark", "--identities", "1");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--identities must be at least 2"), run.err());
    }
}
