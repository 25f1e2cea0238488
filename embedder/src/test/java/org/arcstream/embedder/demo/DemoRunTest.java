package org.arcstream.embedder.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchRecord;
import org.junit.jupiter.api.Test;

/** Enroll 5 images of each LFW identity, stream the other 50 through the broker, and compare with the batch path. */
class DemoRunTest {

    @Test
    void everyStreamedFaceIsRecognizedAsTheBatchPathDoes() throws Exception {
        Path lfw = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(lfw), "LFW sample not found at " + lfw);
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        List<MatchRecord> matches = new ArrayList<>();

        DemoSummary summary = DemoRun.run(
                new DemoRun.Options(lfw, lfw, 5, 0, 0.38f, config, Duration.ofMinutes(3)), matches::add);

        assertEquals(50, summary.frames());
        assertEquals(50, summary.labeled());
        assertEquals(50, summary.correct(), "recognized correctly");
        assertEquals(0, summary.deadLettered());
        assertEquals(summary.faces(), matches.size());
        assertEquals(summary.faces(), summary.recognized() + summary.unknown());
        assertTrue(summary.latencyP50Millis() <= summary.latencyP99Millis());

        // the batch path: same enrollment, best face of each remaining image, same centroids
        Map<String, List<Enroller.GalleryImage>> byIdentity = Enroller.scan(lfw).stream()
                .collect(Collectors.groupingBy(Enroller.GalleryImage::identity));
        Map<Identity, List<float[]>> enrolled = new java.util.LinkedHashMap<>();
        int agreeing = 0;
        try (FacePipeline pipeline = new FacePipeline(config)) {
            for (var e : byIdentity.entrySet()) {
                List<float[]> samples = new ArrayList<>();
                for (var image : e.getValue().subList(0, 5)) {
                    samples.add(pipeline.bestFace(pipeline.decoder().decode(image.file())).orElseThrow().embedding());
                }
                enrolled.put(new Identity(e.getKey(), e.getKey().replace('_', ' ')), samples);
            }
            CentroidIndex index = CentroidIndex.build(enrolled, 1);
            for (var e : byIdentity.entrySet()) {
                for (var image : e.getValue().subList(5, e.getValue().size())) {
                    var face = pipeline.bestFace(pipeline.decoder().decode(image.file())).orElseThrow();
                    var batch = index.match(face.embedding(), 0.38f);
                    if (batch.known() && batch.identity().id().equals(e.getKey())) {
                        agreeing++;
                    }
                }
            }
        }
        assertEquals(summary.correct(), agreeing, "streaming and batch paths agree");
    }
}
