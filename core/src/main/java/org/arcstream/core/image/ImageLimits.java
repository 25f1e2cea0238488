package org.arcstream.core.image;

/**
 * Size limits applied by {@link ImageDecoder} before any pixel data is decoded.
 *
 * @param maxBytes  largest accepted encoded size in bytes
 * @param maxPixels largest accepted width * height, checked against the header before decoding
 * @param minSide   smallest accepted width and height in pixels
 */
public record ImageLimits(long maxBytes, long maxPixels, int minSide) {

    /**
     * 20 MiB covers a high-quality JPEG from a 40 MP sensor or a lossless PNG of a 12 MP photo, while
     * bounding what one upload can pin in memory.
     */
    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

    /**
     * 40 MP covers current phone and DSLR sensors; the decoded image then needs about 120 MB as 8-bit RGB
     * and at most ~320 MB transiently for a 16-bit RGBA PNG, which a single worker can afford.
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /**
     * Below 16 px a side there is no room for a detectable face (detectors need roughly 10-20 px faces);
     * such inputs are thumbnails, tracking pixels or broken frames.
     */
    public static final int DEFAULT_MIN_SIDE = 16;

    /** The defaults described on the constants above. */
    public static final ImageLimits DEFAULTS =
            new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE);

    // RgbImage stores 3 bytes per pixel in one array, and encoded data is read into one array too.
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    public ImageLimits {
        if (maxBytes < 1 || maxBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("maxBytes must be in 1.." + MAX_ARRAY + ", got " + maxBytes);
        }
        if (maxPixels < 1 || maxPixels > MAX_ARRAY / 3) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + MAX_ARRAY / 3 + ", got " + maxPixels);
        }
        if (minSide < 1 || (long) minSide * minSide > maxPixels) {
            throw new IllegalArgumentException(
                    "minSide must be >= 1 and minSide^2 <= maxPixels, got minSide=" + minSide + ", maxPixels=" + maxPixels);
        }
    }
}
