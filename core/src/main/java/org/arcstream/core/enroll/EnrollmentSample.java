package org.arcstream.core.enroll;

import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.image.RgbImage;

/**
 * One accepted enrollment image of an identity: the aligned crop (kept so that the gallery can be
 * re-embedded when the model changes), the embedding, and the model version that made it.
 */
public record EnrollmentSample(String identity, String source, FaceBox box, RgbImage alignedCrop, float[] embedding, String modelVersion) {}
