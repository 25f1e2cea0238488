package org.arcstream.core.topics;

import java.util.Map;
import java.util.Objects;

/**
 * One enrollment sample of an identity: the value of the enrollment topic. The aligned crop is kept
 * so that the sample can be embedded again by a new model without the original image; the
 * embeddings are keyed by model version, and embeddings of different versions are never compared.
 *
 * @param source where the image came from (file or upload name), for people reading the gallery
 * @param enrolledAtMillis when the sample was made, epoch milliseconds
 * @param cropPng the aligned face crop as PNG; empty when the writer kept no crop
 * @param embeddings L2-normalized embedding per model version; at least one
 */
public record EnrollmentRecord(
        String identityId,
        String name,
        String source,
        long enrolledAtMillis,
        byte[] cropPng,
        Map<String, float[]> embeddings) {

    public EnrollmentRecord {
        SampleKey.checkIdentityId(identityId);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(cropPng, "cropPng");
        if (embeddings == null || embeddings.isEmpty()) {
            throw new IllegalArgumentException("an enrollment sample needs at least one embedding");
        }
        embeddings.forEach((model, vector) -> {
            if (model == null || model.isEmpty() || vector == null || vector.length == 0) {
                throw new IllegalArgumentException("embeddings need a model version and at least one value");
            }
        });
        embeddings = Map.copyOf(embeddings);
    }

    /** The same sample without its crop, for stores that only need the embeddings. */
    public EnrollmentRecord withoutCrop() {
        return new EnrollmentRecord(identityId, name, source, enrolledAtMillis, new byte[0], embeddings);
    }
}
