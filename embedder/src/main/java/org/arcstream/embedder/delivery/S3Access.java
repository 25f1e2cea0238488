package org.arcstream.embedder.delivery;

import java.net.URI;

/**
 * How to reach an S3-compatible object store with read-only credentials; the secret never appears in {@link #toString()}.
 *
 * @param endpoint the store's URL; null = AWS S3 of {@code region}
 * @param region the signing region (any name for most S3-compatible stores)
 * @param accessKeyId the access key; null = the AWS SDK's default chain (environment, web identity, instance profile)
 * @param secretAccessKey its secret
 * @param pathStyle bucket in the path ({@code endpoint/bucket/key}) rather than in the host name, as most self-hosted stores need
 */
public record S3Access(URI endpoint, String region, String accessKeyId, String secretAccessKey, boolean pathStyle) {

    public S3Access {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("the S3 region must not be empty");
        }
        if ((accessKeyId == null || accessKeyId.isBlank()) != (secretAccessKey == null || secretAccessKey.isBlank())) {
            throw new IllegalArgumentException("set both the S3 access key id and its secret, or neither");
        }
    }

    boolean hasStaticKeys() {
        return accessKeyId != null && !accessKeyId.isBlank();
    }

    @Override
    public String toString() {
        return "S3Access[endpoint=" + endpoint + ", region=" + region + ", accessKeyId=" + (hasStaticKeys() ? accessKeyId : "(default chain)")
                + ", secretAccessKey=****, pathStyle=" + pathStyle + "]";
    }
}
