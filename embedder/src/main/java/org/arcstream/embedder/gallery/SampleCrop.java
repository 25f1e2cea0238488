package org.arcstream.embedder.gallery;

/**
 * A sample's aligned face crop as PNG, and the position of the enrollment record it comes from: a sample
 * written again (a re-index) gets a new position, so the position names this exact crop.
 */
public record SampleCrop(byte[] png, EnrollmentPosition position) {}
