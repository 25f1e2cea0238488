package org.arcstream.embedder.console;

import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.CropPng;

/** Cuts a face out of its camera frame for the console: the detector box plus a margin, as PNG. */
public final class FaceCrops {

    /** Margin around the box, as a share of its larger side, so that the whole head shows. */
    private static final float MARGIN = 0.15f;

    private final ImageDecoder decoder;

    public FaceCrops(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /** The PNG of the box {@code x1, y1, x2, y2} (pixels) of the encoded frame, clipped to the frame. */
    public byte[] crop(byte[] frame, float[] box) {
        RgbImage image = decoder.decode(frame);
        float margin = MARGIN * Math.max(box[2] - box[0], box[3] - box[1]);
        int x1 = clamp(Math.round(box[0] - margin), image.width() - 1);
        int y1 = clamp(Math.round(box[1] - margin), image.height() - 1);
        int x2 = Math.max(x1 + 1, clamp(Math.round(box[2] + margin), image.width()));
        int y2 = Math.max(y1 + 1, clamp(Math.round(box[3] + margin), image.height()));
        int w = x2 - x1;
        int h = y2 - y1;
        byte[] pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels(), ((y1 + y) * image.width() + x1) * 3, pixels, y * w * 3, w * 3);
        }
        return CropPng.encode(new RgbImage(w, h, pixels));
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
