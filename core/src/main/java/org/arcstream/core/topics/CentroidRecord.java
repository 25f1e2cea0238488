package org.arcstream.core.topics;

import java.util.List;
import java.util.Objects;

/**
 * An identity's centroid(s) for one embedding model version: the value of the centroids topic.
 * One centroid is the normalized mean of the samples' embeddings; with sub-centroids there are up to
 * K, each the normalized mean of a cluster of them.
 *
 * @param sampleIds the enrollment samples the centroids were computed from (so any instance can find them to delete them)
 * @param centroids 1..K L2-normalized vectors of equal length
 */
public record CentroidRecord(
        String identityId,
        String name,
        String modelVersion,
        List<String> sampleIds,
        List<float[]> centroids) {

    public CentroidRecord {
        SampleKey.checkIdentityId(identityId);
        Objects.requireNonNull(name, "name");
        if (modelVersion == null || modelVersion.isEmpty()) {
            throw new IllegalArgumentException("model version must not be empty");
        }
        sampleIds = List.copyOf(sampleIds);
        if (sampleIds.isEmpty()) {
            throw new IllegalArgumentException("a centroid is computed from at least one sample");
        }
        centroids = List.copyOf(centroids);
        if (centroids.isEmpty() || centroids.size() > CentroidCodec.MAX_CENTROIDS) {
            throw new IllegalArgumentException("expected 1.." + CentroidCodec.MAX_CENTROIDS + " centroids, got " + centroids.size());
        }
        int dimension = centroids.get(0).length;
        for (float[] c : centroids) {
            if (c.length != dimension || dimension == 0) {
                throw new IllegalArgumentException("centroids must be non-empty vectors of equal length");
            }
        }
    }

    public int sampleCount() {
        return sampleIds.size();
    }

    public CentroidKey key() {
        return new CentroidKey(identityId, modelVersion);
    }
}
