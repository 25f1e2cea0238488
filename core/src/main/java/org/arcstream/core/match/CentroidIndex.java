package org.arcstream.core.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.Embeddings;

/**
 * The gallery as identity centroids (normalized means of enrolled embeddings, or up to K
 * sub-centroids per identity for people enrolled in very different conditions), stored in
 * {@link CentroidBlocks} so that matching is a single sequential scan at the memory's rate. Immutable
 * and thread-safe.
 */
public final class CentroidIndex {

    private final List<Identity> identities;
    private final int[] rowOwner;
    private final CentroidBlocks rows;
    private final int dimension;

    private CentroidIndex(List<Identity> identities, int[] rowOwner, CentroidBlocks rows, int dimension) {
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
        CentroidBlocks rows = CentroidBlocks.of(centroidRows, Math.max(0, dimension));
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
        CentroidBlocks rows = CentroidBlocks.of(centroidRows, Math.max(0, dimension));
        return new CentroidIndex(List.copyOf(identities), owners.stream().mapToInt(Integer::intValue).toArray(), rows, dimension);
    }

    /** Copies of the centroid vectors of one identity; empty when it is not in the index. */
    public List<float[]> centroids(String identityId) {
        List<float[]> out = new ArrayList<>();
        for (int r = 0; r < rowOwner.length; r++) {
            if (identities.get(rowOwner[r]).id().equals(identityId)) {
                out.add(rows.row(r));
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
        Ranking ranking = new Ranking();
        float[] scores = new float[CentroidBlocks.BLOCK];
        for (int b = 0, blocks = rows.blocks(); b < blocks; b++) {
            rows.scores(embedding, b, scores);
            for (int j = 0, first = b * CentroidBlocks.BLOCK, n = Math.min(scores.length, rowOwner.length - first); j < n; j++) {
                ranking.offer(identities.get(rowOwner[first + j]), scores[j]);
            }
        }
        return ranking.result(threshold);
    }
}
