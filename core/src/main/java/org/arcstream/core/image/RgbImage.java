package org.arcstream.core.image;

import java.util.Objects;

/** An 8-bit RGB image held as interleaved bytes, row-major: pixel (x, y) starts at 3 * (y * width + x). */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != 3 * width * height) {
            throw new IllegalArgumentException("expected " + 3 * width * height + " bytes, got " + pixels.length);
        }
    }

    /** Channel value 0..255 of pixel (x, y); channel 0 = red, 1 = green, 2 = blue. */
    public int get(int x, int y, int channel) {
        return pixels[3 * (y * width + x) + channel] & 0xFF;
    }
}
