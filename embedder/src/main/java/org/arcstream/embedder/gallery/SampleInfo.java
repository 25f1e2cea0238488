package org.arcstream.embedder.gallery;

/**
 * One enrollment sample of an identity.
 *
 * @param source the file or upload name it was enrolled from; null when this instance does not hold the samples
 * @param cropPng the aligned face crop; null when this instance does not hold the samples (another instance
 *     runs the enrollment task) or holds them without their crop (the centroid stage keeps none)
 */
public record SampleInfo(String sampleId, String source, long enrolledAtMillis, byte[] cropPng) {}
