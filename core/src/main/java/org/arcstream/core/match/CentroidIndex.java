package org.arcstream.core.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.Embeddings;

/**
 * The gallery as identity centroids (normalized means of enrolled embeddings, or up to K
 * sub-centroids per identity for people enrolled in very different conditions), stored as one
 * row-major matrix so that matching is a single sequential scan. Immutable and thread-safe.
 */
public final class CentroidIndex {

    private final List<Identity> identities;
    private final int[] rowOwner;
    private final float[] rows;
    private final int dimension;

    private CentroidIndex(List<Identity> identities, int[] rowOwner, float[] rows, int dimension) {
        this.identities = identities;
        this.rowOwner = rowOwner;
        this.rows = rows;
        this.dimension = dimension;
    }

    /**
     * Builds the index from each identity's enrolled embeddings; identities without embeddings are left out.
     *
     * @param maxSubCentroids 1 for one centroid per identity; K &gt; 1 clusters each identity's
     *     embeddings into at most K groups (spherical k-means) and keeps one centroid per group
     */
    public static CentroidIndex build(Map<Identity, List<float[]>> enrolled, int maxSubCentroids) {
        if (maxSubCentroids < 1) {
            throw new IllegalArgumentException("sub-centroids per identity must be at least 1, got " + maxSubCentroids);
        }
        List<Identity> identities = new ArrayList<>();
        List<float[]> centroidRows = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int dimension = -1;
        for (Map.Entry<Identity, List<float[]>> e : enrolled.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            for (float[] v : e.getValue()) {
                if (dimension < 0) {
                    dimension = v.length;
                } else if (v.length != dimension) {
                    throw new IllegalArgumentException("embedding of " + e.getKey().id() + " has " + v.length
                            + " values, others have " + dimension);
                }
            }
            int owner = identities.size();
            identities.add(e.getKey());
            for (float[] centroid : SphericalKMeans.cluster(e.getValue(), maxSubCentroids)) {
                centroidRows.add(centroid);
                owners.add(owner);
            }
        }
        float[] rows = new float[Math.max(0, dimension) * centroidRows.size()];
        for (int r = 0; r < centroidRows.size(); r++) {
            System.arraycopy(centroidRows.get(r), 0, rows, r * dimension, dimension);
        }
        return new CentroidIndex(List.copyOf(identities), owners.stream().mapToInt(Integer::intValue).toArray(), rows, dimension);
    }

    /**
     * An index of centroids computed elsewhere (e.g. read from the centroids topic), taken as they are:
     * no clustering, each vector normalized.
     */
    public static CentroidIndex of(Map<Identity, List<float[]>> centroids) {
        List<Identity> identities = new ArrayList<>();
        List<float[]> centroidRows = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int dimension = -1;
        for (Map.Entry<Identity, List<float[]>> e : centroids.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            int owner = identities.size();
            identities.add(e.getKey());
            for (float[] v : e.getValue()) {
                if (dimension < 0) {
                    dimension = v.length;
                } else if (v.length != dimension) {
                    throw new IllegalArgumentException("centroid of " + e.getKey().id() + " has " + v.length
                            + " values, others have " + dimension);
                }
                centroidRows.add(Embeddings.normalize(v.clone()));
                owners.add(owner);
            }
        }
        float[] rows = new float[Math.max(0, dimension) * centroidRows.size()];
        for (int r = 0; r < centroidRows.size(); r++) {
            System.arraycopy(centroidRows.get(r), 0, rows, r * dimension, dimension);
        }
        return new CentroidIndex(List.copyOf(identities), owners.stream().mapToInt(Integer::intValue).toArray(), rows, dimension);
    }

    /** Copies of the centroid vectors of one identity; empty when it is not in the index. */
    public List<float[]> centroids(String identityId) {
        List<float[]> out = new ArrayList<>();
        for (int r = 0; r < rowOwner.length; r++) {
            if (identities.get(rowOwner[r]).id().equals(identityId)) {
                out.add(Arrays.copyOfRange(rows, r * dimension, (r + 1) * dimension));
            }
        }
        return out;
    }

    public int identities() {
        return identities.size();
    }

    public boolean contains(String identityId) {
        return identities.stream().anyMatch(i -> i.id().equals(identityId));
    }

    public int centroids() {
        return rowOwner.length;
    }

    /** Scores a normalized embedding against every identity; known only when the best score reaches the threshold. */
    public MatchResult match(float[] embedding, float threshold) {
        if (rowOwner.length == 0) {
            return new MatchResult(null, null, -1, -1, threshold);
        }
        if (embedding.length != dimension) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " values, the gallery " + dimension);
        }
        // best score per identity: an identity's score is its closest sub-centroid
        float[] perIdentity = new float[identities.size()];
        Arrays.fill(perIdentity, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rowOwner.length; r++) {
            float s = dot(rows, r * dimension, embedding);
            if (s > perIdentity[rowOwner[r]]) {
                perIdentity[rowOwner[r]] = s;
            }
        }
        int best = -1;
        float bestScore = Float.NEGATIVE_INFINITY, runnerUp = -1;
        for (int i = 0; i < perIdentity.length; i++) {
            if (perIdentity[i] > bestScore) {
                if (best >= 0) {
                    runnerUp = Math.max(runnerUp, bestScore);
                }
                best = i;
                bestScore = perIdentity[i];
            } else if (perIdentity[i] > runnerUp) {
                runnerUp = perIdentity[i];
            }
        }
        if (best < 0) {
            // every score is NaN: an embedding with a NaN value has no nearest identity
            return new MatchResult(null, null, -1, -1, threshold);
        }
        Identity candidate = identities.get(best);
        return new MatchResult(bestScore >= threshold ? candidate : null, candidate, bestScore, runnerUp, threshold);
    }

    /** Dot product with four accumulators, which lets the JIT keep several multiply-adds in flight. */
    private static float dot(float[] matrix, int offset, float[] v) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = v.length, k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += matrix[offset + k] * v[k];
            s1 += matrix[offset + k + 1] * v[k + 1];
            s2 += matrix[offset + k + 2] * v[k + 2];
            s3 += matrix[offset + k + 3] * v[k + 3];
        }
        for (; k < n; k++) {
            s0 += matrix[offset + k] * v[k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
