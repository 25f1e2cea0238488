package org.arcstream.core.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcstream.core.TestData;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's OpenCV baseline does the same work as the project's pipeline, so the ratio between them is fair. */
class OpenCvFacePipelineTest {

    private static FacePipeline pipeline;
    private static OpenCvFacePipeline baseline;

    @BeforeAll
    static void open() {
        FacePipelineConfig config = TestData.defaultConfig();
        pipeline = new FacePipeline(config);
        baseline = OpenCvFacePipeline.open(config);
    }

    @AfterAll
    static void close() {
        if (baseline != null) {
            baseline.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void findsTheSameFacesWithTheSameEmbeddingsAsThePipeline() throws IOException {
        // one face each, and a group photo with background people
        List<Path> images = List.of(TestData.lfwImage("Colin_Powell", 1), TestData.lfwImage("George_W_Bush", 2),
                TestData.lfwImage("Tony_Blair", 3), TestData.lfwImage("Vladimir_Putin", 7));
        int compared = 0;
        for (Path file : images) {
            byte[] bytes = Files.readAllBytes(file);
            List<Face> ours = pipeline.analyze(pipeline.decoder().decode(bytes));
            List<BaselineFace> theirs = baseline.analyze(bytes);
            assertEquals(ours.size(), theirs.size(), file + ": face count");
            for (int i = 0; i < ours.size(); i++) {
                Face a = ours.get(i);
                BaselineFace b = theirs.get(i);
                assertTrue(a.box().iou(b.box()) > 0.95, file + " face " + i + ": " + a.box() + " vs " + b.box());
                double eyes = Math.hypot(a.landmarks().leftEye().x() - b.landmarks().leftEye().x(),
                        a.landmarks().leftEye().y() - b.landmarks().leftEye().y());
                assertTrue(eyes < 1.0, file + " face " + i + ": left eye " + eyes + " px apart");
                float cosine = Embeddings.cosine(a.embedding(), b.embedding());
                assertTrue(cosine > 0.99f, file + " face " + i + ": cosine " + cosine);
                compared++;
            }
        }
        assertTrue(compared >= 6, "faces compared: " + compared);
    }

    @Test
    void refusesBytesThatAreNotAnImage() {
        assertThrows(IllegalArgumentException.class, () -> baseline.analyze("not an image".getBytes()));
    }
}
