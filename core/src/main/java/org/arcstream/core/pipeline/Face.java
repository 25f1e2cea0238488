package org.arcstream.core.pipeline;

import org.arcstream.core.align.FivePoints;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.image.RgbImage;

/**
 * One face of an image: its rank by detector score (0 = best), box, alignment landmarks,
 * the aligned crop, and the L2-normalized embedding (null until embedded).
 */
public record Face(int index, FaceBox box, FivePoints landmarks, RgbImage aligned, float[] embedding) {

    public Face withEmbedding(float[] value) {
        return new Face(index, box, landmarks, aligned, value);
    }
}
