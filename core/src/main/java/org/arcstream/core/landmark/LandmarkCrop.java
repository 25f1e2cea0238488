package org.arcstream.core.landmark;

import org.arcstream.core.align.ImageWarp;
import org.arcstream.core.align.SimilarityTransform;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.image.RgbImage;

/** The square region the landmark model looks at: centred on the face box, side = box height, zero-padded. */
public record LandmarkCrop(float left, float top, float side) {

    public static LandmarkCrop around(FaceBox box) {
        float side = box.height();
        float cx = (box.x1() + box.x2()) / 2, cy = (box.y1() + box.y2()) / 2;
        return new LandmarkCrop(cx - side / 2, cy - side / 2, side);
    }

    /**
     * The crop resized to {@code size x size} as grey values / 256, sampled at pixel centres
     * the way a plain resize of the padded crop would.
     */
    public float[] greyInput(RgbImage image, int size) {
        double s = side / size;
        SimilarityTransform dstToSrc = SimilarityTransform.scaleThenShift(s, left + 0.5 * s - 0.5, top + 0.5 * s - 0.5);
        RgbImage crop = ImageWarp.warp(image, dstToSrc, size, size);
        byte[] px = crop.pixels();
        float[] out = new float[size * size];
        for (int i = 0, p = 0; i < out.length; i++, p += 3) {
            // ITU-R BT.601 luma rounded to 8 bits, as a grey conversion before resizing would give
            int grey = (int) (0.299 * (px[p] & 0xFF) + 0.587 * (px[p + 1] & 0xFF) + 0.114 * (px[p + 2] & 0xFF) + 0.5);
            out[i] = grey / 256f;
        }
        return out;
    }

    /** Maps model output in [0, 1] crop units back to image pixels. */
    public FacialLandmarks toImage(float[] normalized) {
        float[] xy = new float[normalized.length];
        for (int i = 0; i < xy.length; i += 2) {
            xy[i] = normalized[i] * side + left;
            xy[i + 1] = normalized[i + 1] * side + top;
        }
        return new FacialLandmarks(xy);
    }
}
