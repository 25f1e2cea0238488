package org.arcstream.core.pipeline;

import org.arcstream.core.align.FivePoints;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.image.RgbImage;

/**
 * One face of an image: its rank by detector score (0 = best), box, alignment landmarks,
 * the aligned crop, the aligned crop with a margin for shifted test-time views (null when shifts are off),
 * and the L2-normalized embedding (null until embedded).
 */
public record Face(int index, FaceBox box, FivePoints landmarks, RgbImage aligned, RgbImage withMargin, float[] embedding) {

    /** A face without a margin around its crop. */
    public Face(int index, FaceBox box, FivePoints landmarks, RgbImage aligned, float[] embedding) {
        this(index, box, landmarks, aligned, null, embedding);
    }

    public Face withEmbedding(float[] value) {
        return new Face(index, box, landmarks, aligned, withMargin, value);
    }
}
