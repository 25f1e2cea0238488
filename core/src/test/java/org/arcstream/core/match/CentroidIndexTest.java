package org.arcstream.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.embed.Embeddings;
import org.junit.jupiter.api.Test;

class CentroidIndexTest {

    private static final Identity ANN = new Identity("ann", "Ann");
    private static final Identity BOB = new Identity("bob", "Bob");
    private static final Identity CAT = new Identity("cat", "Cat");

    private static float[] at(double degrees) {
        double a = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(a), (float) Math.sin(a), 0};
    }

    @Test
    void matchesTheNearestCentroidAndReportsTheRunnerUp() {
        Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
        gallery.put(ANN, List.of(at(-10), at(10)));   // centroid at 0 degrees
        gallery.put(BOB, List.of(at(80), at(100)));   // centroid at 90
        gallery.put(CAT, List.of(at(170), at(190)));  // centroid at 180
        CentroidIndex index = CentroidIndex.build(gallery, 1);

        MatchResult result = index.match(at(30), 0.5f);

        assertEquals(ANN, result.identity());
        assertEquals(Math.cos(Math.toRadians(30)), result.score(), 1e-6);
        assertEquals(Math.cos(Math.toRadians(60)), result.runnerUpScore(), 1e-6);
        assertEquals(3, index.identities());
        assertEquals(3, index.centroids());
    }

    @Test
    void belowTheThresholdIsUnknownButKeepsItsScores() {
        CentroidIndex index = CentroidIndex.build(Map.of(ANN, List.of(at(0)), BOB, List.of(at(90))), 1);
        MatchResult result = index.match(at(45), 0.8f);
        assertFalse(result.known());
        assertNull(result.identity());
        assertEquals(Math.cos(Math.toRadians(45)), result.score(), 1e-6);
        assertEquals(result.score(), result.runnerUpScore(), 1e-6);
        assertEquals(0.8f, result.threshold());
    }

    @Test
    void subCentroidsKeepTwoLooksOfOnePerson() {
        // Ann enrolled at two very different angles; her mean lies between, far from both
        Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
        gallery.put(ANN, List.of(at(0), at(4), at(86), at(90)));
        gallery.put(BOB, List.of(at(180)));
        float[] query = at(88);
        MatchResult single = CentroidIndex.build(gallery, 1).match(query, 0.9f);
        CentroidIndex twoLooks = CentroidIndex.build(gallery, 2);
        MatchResult sub = twoLooks.match(query, 0.9f);
        assertFalse(single.known(), "one centroid at 45 degrees is too far: " + single.score());
        assertEquals(ANN, sub.identity());
        assertEquals(Math.cos(0), sub.score(), 1e-3);
        assertEquals(3, twoLooks.centroids());
    }

    @Test
    void theScanEqualsAPlainLoopOnRandomEmbeddings() {
        Random random = new Random(3);
        Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            List<float[]> samples = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                samples.add(randomUnit(random, 513));
            }
            gallery.put(new Identity("id" + i, "n" + i), samples);
        }
        CentroidIndex index = CentroidIndex.build(gallery, 1);
        for (int q = 0; q < 20; q++) {
            float[] query = randomUnit(random, 513);
            float best = -2, second = -2;
            Identity bestId = null;
            for (Map.Entry<Identity, List<float[]>> e : gallery.entrySet()) {
                float[] mean = new float[513];
                e.getValue().forEach(v -> {
                    for (int d = 0; d < v.length; d++) {
                        mean[d] += v[d];
                    }
                });
                float s = Embeddings.cosine(Embeddings.normalize(mean), query);
                if (s > best) {
                    second = best;
                    best = s;
                    bestId = e.getKey();
                } else if (s > second) {
                    second = s;
                }
            }
            MatchResult result = index.match(query, -1f);
            assertEquals(bestId, result.identity());
            assertEquals(best, result.score(), 1e-5);
            assertEquals(second, result.runnerUpScore(), 1e-5);
        }
    }

    @Test
    void anEmptyGalleryKnowsNobodyAndWrongSizesAreRefused() {
        MatchResult none = CentroidIndex.build(Map.of(), 1).match(at(0), 0.3f);
        assertFalse(none.known());
        assertNull(none.bestCandidate());
        CentroidIndex index = CentroidIndex.build(Map.of(ANN, List.of(at(0))), 1);
        assertThrows(IllegalArgumentException.class, () -> index.match(new float[] {1, 0}, 0.3f));
        assertThrows(IllegalArgumentException.class,
                () -> CentroidIndex.build(Map.of(ANN, List.of(at(0), new float[] {1, 0})), 1));
        assertThrows(IllegalArgumentException.class, () -> CentroidIndex.build(Map.of(ANN, List.of(at(0))), 0));
        assertTrue(CentroidIndex.build(Map.of(ANN, List.of()), 1).identities() == 0);
    }

    private static float[] randomUnit(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embeddings.normalize(v);
    }

    @Test
    void centroidsComputedOnceCanBeReadBackAndIndexedAsTheyAre() {
        Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
        gallery.put(ANN, List.of(at(-10), at(10)));
        gallery.put(BOB, List.of(at(80), at(100)));
        CentroidIndex built = CentroidIndex.build(gallery, 1);
        List<float[]> ann = built.centroids("ann");
        assertEquals(1, ann.size());
        assertEquals(1.0, ann.get(0)[0], 1e-6, "normalized mean of -10 and 10 degrees");
        assertTrue(built.centroids("nobody").isEmpty());

        Map<Identity, List<float[]>> centroids = new LinkedHashMap<>();
        centroids.put(ANN, ann);
        // two sub-centroids kept as given, not merged into their mean
        centroids.put(BOB, List.of(at(60), new float[] {0, -2, 0}));
        CentroidIndex index = CentroidIndex.of(centroids);
        assertEquals(3, index.centroids());
        assertEquals(BOB, index.match(at(-90), 0.5f).identity());
        assertEquals(1.0, index.match(at(-90), 0.5f).score(), 1e-6, "the given vector was normalized");
        assertEquals(BOB, index.match(at(60), 0.5f).identity());
    }
}
