package org.arcstream.demo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.arcstream.demo.CommandRun;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stream-benchmark --json} end to end on a small gallery, at full and half load; the figures' values are timings and are not judged. */
class StreamBenchmarkCommandTest {

    @TempDir
    Path gallery;

    @Test
    void everyRunStreamsItsFramesAndTheSummaryIsTheirMedian() throws Exception {
        // six images of two people: five enrolled, one streamed, looped
        for (String person : List.of("Colin_Powell", "George_W_Bush")) {
            Files.createDirectories(gallery.resolve(person));
            try (Stream<Path> files = Files.list(IngestTestData.lfw10().resolve(person))) {
                for (Path file : files.sorted().limit(6).toList()) {
                    Files.copy(file, gallery.resolve(person).resolve(file.getFileName()));
                }
            }
        }
        CommandRun run = CommandRun.of(new StreamBenchmarkCommand(), "--gallery", gallery.toString(), "--frames", "12", "--runs", "2", "--json");
        assertEquals(0, run.exit(), run.output());
        JsonNode summary = new ObjectMapper().readTree(run.lastLine());
        assertEquals(2, summary.get("runs").asInt());
        assertEquals(24, summary.get("frames").asInt(), "12 frames in each run");
        assertEquals(24, summary.get("labeled").asInt());
        assertEquals(24, summary.get("correct").asInt(), "every streamed frame recognized");
        assertEquals(0, summary.get("dead_lettered").asInt());
        JsonNode ratios = summary.get("ratio_per_run");
        assertEquals(2, ratios.size());
        assertTrue(ratios.get(0).asDouble() > 0 && ratios.get(1).asDouble() > 0, ratios.toString());
        // the median of two runs is their mean (each ratio is rounded to three places)
        assertEquals((ratios.get(0).asDouble() + ratios.get(1).asDouble()) / 2, summary.get("ratio_stream_to_raw").asDouble(), 0.0011);
        // each run streams the same frames again at half its raw rate
        assertEquals(24, summary.get("half_load_frames").asInt(), "12 frames at half load in each run");
        assertEquals(24, summary.get("half_load_correct").asInt(), "every frame streamed at half load recognized");
        assertEquals(summary.get("raw_frames_per_s").asDouble() / 2, summary.get("half_load_offered_frames_per_s").asDouble(),
                0.1, "half of the raw rate (both rounded to a tenth)");
        double p50 = summary.get("half_load_latency_p50_ms").asDouble();
        double p99 = summary.get("half_load_latency_p99_ms").asDouble();
        assertTrue(p50 > 0 && p50 <= p99, "half-load latency p50 " + p50 + " ms, p99 " + p99 + " ms");
    }

    @Test
    void zeroRunsIsAUsageError() {
        assertEquals(2, CommandRun.of(new StreamBenchmarkCommand(), "--gallery", gallery.toString(), "--runs", "0").exit());
    }
}
