package org.arcstream.core.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.Embeddings;

/**
 * Identification and verification on a labeled gallery: leave-one-out nearest neighbour,
 * nearest centroid with the query left out of its own centroid, and all-pairs verification.
 */
public final class GalleryEvaluation {

    /** The figures of one gallery. */
    public record Result(int samples, int identities, double top1LeaveOneOut, double top1Centroid, Verification verification) {}

    private GalleryEvaluation() {}

    public static Result evaluate(List<LabeledEmbedding> samples) {
        int n = samples.size();
        if (n < 2) {
            throw new IllegalArgumentException("a gallery evaluation needs at least 2 faces, got " + n);
        }
        float[][] similarity = new float[n][n];
        List<ScoredPair> pairs = new ArrayList<>(n * (n - 1) / 2);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float s = Embeddings.cosine(samples.get(i).embedding(), samples.get(j).embedding());
                similarity[i][j] = s;
                similarity[j][i] = s;
                pairs.add(new ScoredPair(s, samples.get(i).label().equals(samples.get(j).label())));
            }
        }
        int nearestRight = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (j != i && (best < 0 || similarity[i][j] > similarity[i][best])) {
                    best = j;
                }
            }
            if (samples.get(best).label().equals(samples.get(i).label())) {
                nearestRight++;
            }
        }
        Map<String, float[]> sums = sums(samples);
        Map<String, Integer> counts = new HashMap<>();
        samples.forEach(s -> counts.merge(s.label(), 1, Integer::sum));
        int centroidRight = 0;
        for (LabeledEmbedding query : samples) {
            if (query.label().equals(nearestCentroid(query, sums, counts))) {
                centroidRight++;
            }
        }
        return new Result(n, sums.size(), (double) nearestRight / n, (double) centroidRight / n, Verification.of(pairs));
    }

    /**
     * The identity whose centroid is closest to the query; the query's own identity uses the mean of
     * its other samples, and has no centroid when the query is its only sample (a miss).
     */
    private static String nearestCentroid(LabeledEmbedding query, Map<String, float[]> sums, Map<String, Integer> counts) {
        String best = null;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (Map.Entry<String, float[]> e : sums.entrySet()) {
            float[] centroid = e.getValue().clone();
            if (e.getKey().equals(query.label())) {
                if (counts.get(e.getKey()) == 1) {
                    continue;
                }
                for (int k = 0; k < centroid.length; k++) {
                    centroid[k] -= query.embedding()[k];
                }
            }
            float score = Embeddings.cosine(query.embedding(), Embeddings.normalize(centroid));
            if (score > bestScore) {
                bestScore = score;
                best = e.getKey();
            }
        }
        return best;
    }

    private static Map<String, float[]> sums(List<LabeledEmbedding> samples) {
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (LabeledEmbedding s : samples) {
            float[] sum = sums.computeIfAbsent(s.label(), k -> new float[s.embedding().length]);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += s.embedding()[k];
            }
        }
        return sums;
    }
}
