package org.arcstream.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.arcstream.core.TestData;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accuracy an independent implementation of the same models reaches on the LFW sample;
 * falling short means a pre-processing bug, not a weak model.
 */
class LfwAccuracyTest {

    @ParameterizedTest(name = "flip = {0}")
    @ValueSource(booleans = {false, true})
    void matchesACarefulImplementation(boolean flip) throws IOException {
        FacePipelineConfig config = TestData.defaultConfig().withFlip(flip);
        List<LabeledEmbedding> samples = new ArrayList<>();
        try (FacePipeline pipeline = new FacePipeline(config); Stream<Path> files = Files.walk(TestData.lfw10())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                var face = pipeline.bestFace(pipeline.decoder().decode(file)).orElseThrow(() -> new AssertionError("no face in " + file));
                samples.add(new LabeledEmbedding(file.getParent().getFileName().toString(), file.toString(), face.embedding()));
            }
        }
        GalleryEvaluation.Result r = GalleryEvaluation.evaluate(samples);
        Verification v = r.verification();
        System.out.printf("LFW sample, flip %s: 1-NN %.3f, centroid %.3f, AUC %.6f, TAR@1e-2 %.4f, TAR@1e-3 %.4f, best threshold %.3f, best accuracy %.4f%n",
                flip, r.top1LeaveOneOut(), r.top1Centroid(), v.auc(), v.tarAtFar(1e-2), v.tarAtFar(1e-3), v.bestThreshold(), v.bestAccuracy());

        assertEquals(100, samples.size());
        assertEquals(450, v.positives());
        assertEquals(4500, v.negatives());
        assertEquals(1.0, r.top1LeaveOneOut());
        assertEquals(1.0, r.top1Centroid());
        // the bar for every speed option on by default (the PRelu rewrite of the embedding model among them)
        assertTrue(v.auc() >= 0.9999, "AUC " + v.auc());
        assertTrue(v.tarAtFar(1e-3) >= 0.99, "TAR@FAR=1e-3 " + v.tarAtFar(1e-3));
    }
}
