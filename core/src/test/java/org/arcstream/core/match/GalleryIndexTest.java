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

/** The live gallery against the exact scan of {@link CentroidIndex}, on seeded synthetic galleries. */
class GalleryIndexTest {

    private static float[] random(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return Embeddings.normalize(v);
    }

    /** A face of the same person: cosine about 0.7 with {@code centroid}, as real same-person pairs have. */
    private static float[] near(Random random, float[] centroid) {
        float[] noise = random(random, centroid.length);
        float[] v = new float[centroid.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = 0.7f * centroid[d] + 0.71f * noise[d];
        }
        return Embeddings.normalize(v);
    }

    private static Map<Identity, List<float[]>> gallery(Random random, int identities, int dimension, int centroidsEach) {
        Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
        for (int i = 0; i < identities; i++) {
            List<float[]> centroids = new ArrayList<>();
            for (int c = 0; c < centroidsEach; c++) {
                centroids.add(random(random, dimension));
            }
            gallery.put(new Identity("id" + i, "Person " + i), centroids);
        }
        return gallery;
    }

    /** The same identities and scores; the scores may differ in the last bits, as the two scans add in different orders. */
    private static void assertSameMatch(MatchResult expected, MatchResult actual, String what) {
        assertEquals(expected.identity(), actual.identity(), what);
        assertEquals(expected.bestCandidate(), actual.bestCandidate(), what);
        assertEquals(expected.score(), actual.score(), 1e-6, what);
        assertEquals(expected.runnerUpScore(), actual.runnerUpScore(), 1e-6, what);
    }

    @Test
    void graphFindsWhatTheExactScanFinds() {
        Random random = new Random(7);
        Map<Identity, List<float[]>> centroids = gallery(random, 10_000, 128, 1);
        CentroidIndex exact = CentroidIndex.of(centroids);
        GalleryIndex ann = new GalleryIndex(128, 0);
        ann.putAll(centroids);
        assertTrue(ann.approximate());
        assertTrue(ann.quantized(), "10,000 centroids are enough to learn codebooks from");
        List<List<float[]>> rows = new ArrayList<>(centroids.values());

        int queries = 300, same = 0;
        for (int q = 0; q < queries; q++) {
            float[] face = near(random, rows.get(random.nextInt(rows.size())).get(0));
            MatchResult expected = exact.match(face, 0.38f);
            MatchResult got = ann.match(face, 0.38f);
            if (expected.bestCandidate().equals(got.bestCandidate())) {
                same++;
                // the candidates are re-ranked by their exact cosine: the same score, not an estimate
                assertEquals(expected.score(), got.score(), 1e-5);
                // the runner-up is the best other identity among the candidates: never above the true one
                assertTrue(got.runnerUpScore() <= expected.runnerUpScore() + 1e-5);
                assertEquals(expected.known(), got.known());
            }
        }
        assertTrue(same >= 0.99 * queries, "recall@1 against the exact scan: " + same + " of " + queries);
    }

    @Test
    void anEnrollmentOrDeletionIsVisibleToTheNextMatch() {
        Random random = new Random(11);
        GalleryIndex ann = new GalleryIndex(64, 0);
        ann.putAll(gallery(random, 2_000, 64, 1));
        assertFalse(ann.quantized(), "too few centroids for codebooks: the graph is walked on the exact ones");
        Identity newcomer = new Identity("new", "Newcomer");
        float[] look = random(random, 64);
        float[] face = near(random, look);
        assertFalse(newcomer.equals(ann.match(face, 0.38f).identity()));

        ann.put(newcomer, List.of(look));
        MatchResult found = ann.match(face, 0.38f);
        assertEquals(newcomer, found.identity());
        assertEquals(Embeddings.cosine(face, look), found.score(), 1e-5);
        assertEquals(2_001, ann.identities());

        // a second enrollment moves the centroid: the old one no longer answers
        float[] otherLook = random(random, 64);
        ann.put(newcomer, List.of(otherLook));
        assertEquals(1, ann.centroids("new").size());
        assertFalse(newcomer.equals(ann.match(face, 0.38f).identity()));
        assertEquals(newcomer, ann.match(near(random, otherLook), 0.38f).identity());

        assertTrue(ann.remove("new"));
        assertFalse(newcomer.equals(ann.match(near(random, otherLook), 0.38f).bestCandidate()));
        assertFalse(ann.remove("new"));
        assertEquals(2_000, ann.identities());
    }

    @Test
    void enrollmentsAfterTheCodebooksWereLearnedAreFound() {
        Random random = new Random(19);
        GalleryIndex ann = new GalleryIndex(64, 0);
        ann.putAll(gallery(random, 5_000, 64, 1));
        assertTrue(ann.quantized());
        // encoded with the codebooks of the first 5,000, inserted one at a time
        Map<Identity, List<float[]>> later = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            Identity person = new Identity("later" + i, "Later " + i);
            later.put(person, List.of(random(random, 64)));
            ann.put(person, later.get(person));
        }
        int found = 0;
        for (Map.Entry<Identity, List<float[]>> e : later.entrySet()) {
            float[] face = near(random, e.getValue().get(0));
            MatchResult match = ann.match(face, 0.38f);
            if (e.getKey().equals(match.identity())) {
                found++;
                assertEquals(Embeddings.cosine(face, e.getValue().get(0)), match.score(), 1e-5, "re-ranked by the exact cosine");
            }
        }
        assertTrue(found >= 198, "found " + found + " of 200 later enrollments");
        assertTrue(ann.remove("later0"));
        assertFalse(new Identity("later0", "Later 0").equals(ann.match(later.values().iterator().next().get(0), 0.38f).bestCandidate()));
    }

    @Test
    void manyDeletionsAndReenrollmentsKeepEveryoneFindable() {
        Random random = new Random(13);
        Map<Identity, List<float[]>> centroids = gallery(random, 3_000, 32, 1);
        GalleryIndex ann = new GalleryIndex(32, 0);
        ann.putAll(centroids);
        List<Identity> identities = new ArrayList<>(centroids.keySet());
        // half the gallery deleted (the graph routes through deleted centroids) and enrolled again
        for (int i = 0; i < 1_500; i++) {
            assertTrue(ann.remove(identities.get(i).id()));
        }
        for (int i = 0; i < 1_500; i++) {
            Identity back = identities.get(i);
            ann.put(back, centroids.get(back));
        }
        assertEquals(3_000, ann.identities());
        assertEquals(3_000, ann.centroids());
        int found = 0;
        for (int i = 0; i < 3_000; i += 10) {
            Identity expected = identities.get(i);
            if (expected.equals(ann.match(centroids.get(expected).get(0), 0.9f).identity())) {
                found++;
            }
        }
        assertTrue(found >= 297, "found " + found + " of 300 enrolled identities by their own centroid");
    }

    @Test
    void anIdentityDeletedAndEnrolledAgainWithTheSameCentroidIsFound() {
        Random random = new Random(29);
        Map<Identity, List<float[]>> centroids = gallery(random, 1_000, 32, 1);
        GalleryIndex ann = new GalleryIndex(32, 0);
        // one at a time: the graph does not depend on the scheduling of parallel inserts
        centroids.forEach(ann::put);
        int found = 0;
        for (Map.Entry<Identity, List<float[]>> e : centroids.entrySet()) {
            assertTrue(ann.remove(e.getKey().id()));
            ann.put(e.getKey(), e.getValue());
            if (e.getKey().equals(ann.match(e.getValue().get(0), 0.9f).identity())) {
                found++;
            }
        }
        assertEquals(1_000, found, "identities found by their own centroid right after their re-enrollment");
    }

    @Test
    void smallGalleriesAreScannedExactly() {
        Random random = new Random(17);
        Map<Identity, List<float[]>> centroids = gallery(random, 50, 16, 2);
        CentroidIndex exact = CentroidIndex.of(centroids);
        GalleryIndex gallery = new GalleryIndex(16, 51);
        gallery.putAll(centroids);
        assertFalse(gallery.approximate());
        for (int q = 0; q < 100; q++) {
            float[] face = random(random, 16);
            assertSameMatch(exact.match(face, 0.38f), gallery.match(face, 0.38f), "exact scan");
        }
        // the 51st identity reaches the limit: from then on the graph answers
        gallery.put(new Identity("one-more", "One More"), List.of(random(random, 16)));
        assertTrue(gallery.approximate());
        gallery.remove("one-more");
        assertFalse(gallery.approximate());
    }

    @Test
    void bestAndRunnerUpAreIdentitiesNotCentroids() {
        // Ann has two looks; a face near both of them must not make Ann her own runner-up
        Identity ann = new Identity("ann", "Ann");
        Identity bob = new Identity("bob", "Bob");
        Map<Identity, List<float[]>> centroids = new LinkedHashMap<>();
        centroids.put(ann, List.of(new float[] {1, 0, 0}, new float[] {0.9f, 0.1f, 0}));
        centroids.put(bob, List.of(new float[] {0, 1, 0}, new float[] {0, 0, 1}));
        for (int limit : new int[] {0, 100}) {
            GalleryIndex gallery = new GalleryIndex(3, limit);
            gallery.putAll(centroids);
            float[] face = Embeddings.normalize(new float[] {1, 0.05f, 0.02f});
            MatchResult result = gallery.match(face, 0.5f);
            assertSameMatch(CentroidIndex.of(centroids).match(face, 0.5f), result, "exact-scan limit " + limit);
            assertEquals(ann, result.identity());
            assertEquals(Embeddings.cosine(face, new float[] {0, 1, 0}), result.runnerUpScore(), 1e-6);
        }
    }

    @Test
    void emptyGalleryIsUnknownAndWrongLengthsAreRefused() {
        GalleryIndex gallery = new GalleryIndex(3, 0);
        MatchResult none = gallery.match(new float[] {1, 0, 0}, 0.3f);
        assertNull(none.bestCandidate());
        assertEquals(-1, none.score());
        assertThrows(IllegalArgumentException.class, () -> gallery.match(new float[] {1, 0}, 0.3f));
        assertThrows(IllegalArgumentException.class,
                () -> gallery.put(new Identity("ann", "Ann"), List.of(new float[] {1, 0})));
        assertEquals(0, gallery.identities());
        assertThrows(IllegalArgumentException.class, () -> new GalleryIndex(0, 10));
    }
}
