package org.arcstream.core.match;

import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.embed.Embeddings;

/** Clusters unit vectors by cosine similarity into at most K normalized centroids, deterministically. */
final class SphericalKMeans {

    private static final int ITERATIONS = 20;

    private SphericalKMeans() {}

    static List<float[]> cluster(List<float[]> vectors, int maxClusters) {
        int k = Math.min(maxClusters, vectors.size());
        List<float[]> centroids = new ArrayList<>();
        // farthest-point seeding: start from the first vector, then repeatedly add the one least like any seed
        centroids.add(vectors.get(0).clone());
        while (centroids.size() < k) {
            float[] farthest = null;
            float lowest = Float.POSITIVE_INFINITY;
            for (float[] v : vectors) {
                float nearest = nearestScore(v, centroids);
                if (nearest < lowest) {
                    lowest = nearest;
                    farthest = v;
                }
            }
            centroids.add(farthest.clone());
        }
        int dimension = vectors.get(0).length;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            float[][] sums = new float[centroids.size()][dimension];
            for (float[] v : vectors) {
                float[] sum = sums[nearest(v, centroids)];
                for (int d = 0; d < dimension; d++) {
                    sum[d] += v[d];
                }
            }
            List<float[]> next = new ArrayList<>();
            for (float[] sum : sums) {
                if (isZero(sum)) {
                    continue; // an emptied cluster is dropped
                }
                next.add(Embeddings.normalize(sum));
            }
            centroids = next;
        }
        return centroids;
    }

    private static int nearest(float[] v, List<float[]> centroids) {
        int best = 0;
        for (int c = 1; c < centroids.size(); c++) {
            if (Embeddings.cosine(v, centroids.get(c)) > Embeddings.cosine(v, centroids.get(best))) {
                best = c;
            }
        }
        return best;
    }

    private static float nearestScore(float[] v, List<float[]> centroids) {
        return Embeddings.cosine(v, centroids.get(nearest(v, centroids)));
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
