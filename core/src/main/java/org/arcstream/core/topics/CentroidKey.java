package org.arcstream.core.topics;

/** Key of the centroids topic, {@code identityId/modelVersion}: one record per identity and embedding model. */
public record CentroidKey(String identityId, String modelVersion) {

    public CentroidKey {
        SampleKey.checkIdentityId(identityId);
        if (modelVersion == null || modelVersion.isEmpty()) {
            throw new IllegalArgumentException("model version must not be empty");
        }
    }

    /** Parses {@code identityId/modelVersion}; the identity part ends at the first {@code /}. */
    public static CentroidKey parse(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new RecordFormatException("centroid key must be identityId/modelVersion, got " + Excerpt.quote(key));
        }
        try {
            return new CentroidKey(key.substring(0, slash), key.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("centroid key " + Excerpt.quote(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return identityId + "/" + modelVersion;
    }
}
