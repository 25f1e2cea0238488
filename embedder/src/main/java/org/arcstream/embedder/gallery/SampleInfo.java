package org.arcstream.embedder.gallery;

/**
 * One enrollment sample of an identity.
 *
 * @param source the file or upload name it was enrolled from; null when this instance does not hold the samples
 * @param position where the sample's record (with its aligned crop) is in the enrollment topic; null when this
 *     instance does not hold the samples (another instance runs the enrollment task), or holds a sample stored
 *     before positions were kept
 */
public record SampleInfo(String sampleId, String source, long enrolledAtMillis, EnrollmentPosition position) {}
