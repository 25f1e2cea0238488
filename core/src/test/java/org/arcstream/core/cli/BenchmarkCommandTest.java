package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.arcstream.core.TestData;
import org.arcstream.core.cli.ConsoleCapture.Run;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.ParallelFacePipeline;
import org.junit.jupiter.api.Test;

/** The figures of {@code benchmark --json}, the OpenCV baseline's among them, under their names; no timing is judged. */
class BenchmarkCommandTest {

    @Test
    void jsonCarriesThePipelineAndTheOpenCvBaselineSideBySide() throws Exception {
        Run run = ConsoleCapture.run(ArcstreamCli::run, "benchmark", "--images",
                TestData.lfw10().resolve("Colin_Powell").toString(), "--runs", "1", "--json");

        assertEquals(0, run.exit(), run.err());
        JsonNode figures = new ObjectMapper().readTree(run.out().strip());
        for (String field : List.of("ort_images_per_s", "embed_images_per_s", "pipeline_images_per_s", "opencv_images_per_s",
                "ratio_embed_to_ort", "ratio_pipeline_to_ort", "ratio_pipeline_to_opencv", "workers",
                "pipeline_one_image_at_a_time_images_per_s", "opencv_parallel_images_per_s", "ratio_pipeline_to_opencv_parallel",
                "pipeline_cpu_ms_per_image", "opencv_cpu_ms_per_image", "opencv_parallel_cpu_ms_per_image")) {
            assertTrue(figures.hasNonNull(field), field + " missing from " + run.out());
            assertTrue(figures.get(field).asDouble() > 0, field + " is not a positive number: " + figures.get(field));
        }
        assertEquals(10, figures.get("images").asInt());
        assertEquals(ParallelFacePipeline.workers(Settings.load(null)), figures.get("workers").asInt(), "the product's default");
        double ratio = figures.get("pipeline_images_per_s").asDouble() / figures.get("opencv_images_per_s").asDouble();
        // the rates are rounded to 0.1 images/s before they are printed
        assertEquals(ratio, figures.get("ratio_pipeline_to_opencv").asDouble(), 0.05 * ratio);
    }
}
