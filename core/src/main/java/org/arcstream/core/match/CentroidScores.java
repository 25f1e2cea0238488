package org.arcstream.core.match;

import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * jvector's scores over the gallery's centroid rows, computed with {@link Dot}. jvector's own dot product on
 * Java 17 (no Vector API) adds every product into one running sum, so each addition waits for the previous
 * one; {@link Dot}'s eight independent sums score a 512-float centroid about four times faster, and the graph
 * build and every search spend nearly all their time scoring. Scores are jvector's dot-product similarity,
 * {@code (1 + cosine) / 2}, on which its diversity pruning (alpha) is defined.
 */
final class CentroidScores implements BuildScoreProvider {

    private final IntFunction<float[]> rows;
    private final IntSupplier slots;
    private final int dimension;

    /**
     * @param rows the normalized centroid of a graph node (slot); null for a slot without one
     * @param slots the number of slots, for the centroid of all
     */
    CentroidScores(IntFunction<float[]> rows, IntSupplier slots, int dimension) {
        this.rows = rows;
        this.slots = slots;
        this.dimension = dimension;
    }

    /** Scores of every node against {@code query} (normalized). */
    ScoreFunction.ExactScoreFunction to(float[] query) {
        return node -> (1 + Dot.dot(rows.apply(node), 0, query)) / 2;
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public VectorFloat<?> approximateCentroid() {
        float[] sum = new float[dimension];
        int n = slots.getAsInt(), count = 0;
        for (int s = 0; s < n; s++) {
            float[] row = rows.apply(s);
            if (row != null) {
                for (int d = 0; d < dimension; d++) {
                    sum[d] += row[d];
                }
                count++;
            }
        }
        for (int d = 0; d < dimension; d++) {
            sum[d] /= Math.max(1, count);
        }
        return vts.createFloatVector(sum);
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        float[] query = new float[vector.length()];
        for (int d = 0; d < query.length; d++) {
            query[d] = vector.get(d);
        }
        return new DefaultSearchScoreProvider(to(query));
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
        return new DefaultSearchScoreProvider(to(rows.apply(node)));
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
        return searchProviderFor(node);
    }
}
