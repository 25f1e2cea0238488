package org.arcstream.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arcstream.core.TestData;
import org.arcstream.core.align.Point2;
import org.arcstream.core.config.Settings;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tight crops: the ORL faces (40 people x 10 grey 92x112 images, the face filling the frame) often touch the
 * image border, where the detector misses them; the padded retry finds them.
 */
class TightCropTest {

    private record Sample(String person, Path file, RgbImage image) {}

    private static final List<Sample> SAMPLES = new ArrayList<>();
    /** The best face of every image with the retry (default settings) and without it (null = no face). */
    private static final Map<Sample, Face> WITH_RETRY = new LinkedHashMap<>();
    private static final Map<Sample, Face> WITHOUT_RETRY = new LinkedHashMap<>();

    private static FacePipeline withRetry;
    private static FacePipeline withoutRetry;

    @BeforeAll
    static void locateAll() throws IOException {
        Path orl = TestData.orl();
        FacePipelineConfig defaults = TestData.defaultConfig();
        assertTrue(defaults.paddedRetry(), "the retry is on by default");
        withRetry = new FacePipeline(defaults);
        FacePipelineConfig off = FacePipelineConfig.from(Settings.load(null).with("detector.padded-retry", "false"));
        assertFalse(off.paddedRetry());
        withoutRetry = new FacePipeline(off);
        try (Stream<Path> dirs = Files.list(orl)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                        SAMPLES.add(new Sample(dir.getFileName().toString(), file, withRetry.decoder().decode(file)));
                    }
                }
            }
        }
        for (Sample s : SAMPLES) {
            WITH_RETRY.put(s, withRetry.locate(s.image()).stream().findFirst().orElse(null));
            WITHOUT_RETRY.put(s, withoutRetry.locate(s.image()).stream().findFirst().orElse(null));
        }
    }

    @AfterAll
    static void close() {
        if (withRetry != null) {
            withRetry.close();
        }
        if (withoutRetry != null) {
            withoutRetry.close();
        }
    }

    private static long found(Map<Sample, Face> faces) {
        return faces.values().stream().filter(f -> f != null).count();
    }

    @Test
    void everyOrlImageHasAFaceOnlyWithTheRetry() {
        assertEquals(400, SAMPLES.size(), "ORL holds 40 people x 10 images");
        long with = found(WITH_RETRY);
        long without = found(WITHOUT_RETRY);
        System.out.printf("ORL: face found in %d/%d images with the padded retry, %d/%d without%n",
                with, SAMPLES.size(), without, SAMPLES.size());
        assertEquals(SAMPLES.size(), with, "a face in every image with the retry");
        assertTrue(without < SAMPLES.size(), "without the retry some tight crops are missed");
    }

    @Test
    void imagesWithAFaceAtOnceAreUnchangedByTheRetry() {
        for (Sample s : SAMPLES) {
            Face first = WITHOUT_RETRY.get(s);
            if (first != null) {
                assertEquals(first.box(), WITH_RETRY.get(s).box(), s.file().toString());
                assertEquals(first.landmarks(), WITH_RETRY.get(s).landmarks(), s.file().toString());
            }
        }
    }

    @Test
    void facesFoundByTheRetryLieInTheImageAndMatchTheirPerson() {
        List<Sample> retried = SAMPLES.stream().filter(s -> WITHOUT_RETRY.get(s) == null).toList();
        assertFalse(retried.isEmpty());
        for (Sample s : retried) {
            Face face = WITH_RETRY.get(s);
            FaceBox box = face.box();
            int w = s.image().width(), h = s.image().height();
            assertTrue(box.x1() >= 0 && box.y1() >= 0 && box.x2() <= w && box.y2() <= h, s.file() + " box " + box);
            // the box covers most of the image: ORL faces fill the frame
            assertTrue(box.area() > 0.4 * w * h, s.file() + " box " + box);
            for (Point2 p : face.landmarks().asList()) {
                assertTrue(p.x() >= 0 && p.y() >= 0 && p.x() <= w && p.y() <= h, s.file() + " landmark " + p);
            }
            assertTrue(face.landmarks().leftEye().x() < face.landmarks().rightEye().x(), s.file().toString());
            assertTrue(face.landmarks().nose().y() > face.landmarks().leftEye().y(), s.file().toString());
            assertTrue(face.landmarks().mouthLeft().y() > face.landmarks().nose().y(), s.file().toString());
        }

        // embeddings of every image; each retried face against the other images of its person and of everyone else
        List<Sample> order = new ArrayList<>(SAMPLES);
        List<Face> embedded = withRetry.embedAll(order.stream().map(WITH_RETRY::get).toList());
        Map<Sample, float[]> vectors = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            vectors.put(order.get(i), embedded.get(i).embedding());
        }
        double sameSum = 0, differentSum = 0;
        for (Sample s : retried) {
            Map<String, double[]> byPerson = new LinkedHashMap<>();
            for (Sample other : SAMPLES) {
                if (other != s) {
                    double[] acc = byPerson.computeIfAbsent(other.person(), k -> new double[2]);
                    acc[0] += Embeddings.cosine(vectors.get(s), vectors.get(other));
                    acc[1]++;
                }
            }
            double same = byPerson.get(s.person())[0] / byPerson.get(s.person())[1];
            double different = 0, bestOther = -1;
            int others = 0;
            for (var e : byPerson.entrySet()) {
                if (!e.getKey().equals(s.person())) {
                    double mean = e.getValue()[0] / e.getValue()[1];
                    different += mean;
                    bestOther = Math.max(bestOther, mean);
                    others++;
                }
            }
            different /= others;
            System.out.printf("%s: mean cosine to the same person %.3f, to other people %.3f, to the closest other person %.3f%n",
                    s.person() + "/" + s.file().getFileName(), same, different, bestOther);
            // the closest person, by mean cosine, is the right one
            assertTrue(same > bestOther, s.file() + ": same person " + same + ", closest other person " + bestOther);
            sameSum += same;
            differentSum += different;
        }
        double same = sameSum / retried.size(), different = differentSum / retried.size();
        System.out.printf("faces found by the retry (%d): mean same-person cosine %.3f, different-person %.3f%n",
                retried.size(), same, different);
        assertTrue(same > 0.4 && different < 0.2, "same " + same + ", different " + different);
    }
}
