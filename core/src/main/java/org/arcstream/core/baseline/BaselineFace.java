package org.arcstream.core.baseline;

import org.arcstream.core.align.FivePoints;
import org.arcstream.core.detect.FaceBox;

/** One face found by the OpenCV baseline: box clipped to the image, alignment landmarks, L2-normalized embedding. */
public record BaselineFace(FaceBox box, FivePoints landmarks, float[] embedding) {}
