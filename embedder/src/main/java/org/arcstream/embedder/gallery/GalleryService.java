package org.arcstream.embedder.gallery;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Enrollment and the gallery as the admin API and the CLI see them: enrolling and deleting write to
 * the enrollment topic; reads come from the state the matcher uses.
 */
public interface GalleryService {

    /** Every enrolled identity, ordered by id. */
    List<IdentityInfo> identities();

    Optional<IdentityInfo> identity(String id);

    /**
     * Enrolls images of one identity: each image must show exactly one face unless {@code faceIndex}
     * picks one; rejected images are reported with their reason and do not stop the others.
     */
    EnrollOutcome enroll(String identityId, String name, List<EnrollImage> images, OptionalInt faceIndex);

    /** Removes the identity from matching and deletes its stored samples; false when it is not enrolled. */
    boolean delete(String identityId);

    /** The identity's samples, ordered by id; empty when it is not enrolled. */
    List<SampleInfo> samples(String identityId);

    /** The sample's aligned face crop; empty when there is no such sample or no crop of it can be served here. */
    Optional<SampleCrop> crop(String identityId, String sampleId);

    /** Deletes one sample (the identity's centroid is recomputed without it); false when there is no such sample. */
    boolean deleteSample(String identityId, String sampleId);
}
