package org.arcstream.core.image;

/**
 * The EXIF Orientation tag (274): reading it from a TIFF-structured EXIF block, and turning an image stored
 * sideways (as phone sensors store portraits) upright.
 *
 * <p>The tag is read by this small parser rather than TwelveMonkeys' {@code TIFFReader}: that reader eagerly
 * loads every IFD, sub-IFD and value it finds, with no bound on the total, so a crafted 64 KB APP1 segment whose
 * entries all point at the same large value can make it allocate gigabytes. Orientation is one inline SHORT in
 * IFD0; finding it touches at most {@code 2 + 12 * entries} bytes of the block and allocates nothing.
 */
final class ExifOrientation {

    /** Orientation 1: rows top to bottom, columns left to right, as stored. */
    static final int NORMAL = 1;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {}

    /**
     * Orientation (1..8) from the TIFF header and IFD0 at {@code d[offset..offset+length)}; 1 when the block is
     * damaged, has no such tag, or holds an out-of-range value.
     */
    static int read(byte[] d, int offset, int length) {
        int end = Math.min(d.length, offset + length);
        if (offset < 0 || offset + 8 > end) {
            return NORMAL;
        }
        boolean little;
        if (d[offset] == 'I' && d[offset + 1] == 'I') {
            little = true;
        } else if (d[offset] == 'M' && d[offset + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(d, offset + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = u32(d, offset + 4, little);
        if (ifd < 8 || offset + ifd + 2 > end) {
            return NORMAL;
        }
        int p = (int) (offset + ifd);
        int entries = u16(d, p, little);
        p += 2;
        for (int i = 0; i < entries && p + 12 <= end; i++, p += 12) {
            if (u16(d, p, little) == TAG_ORIENTATION) {
                int value = u16(d, p + 2, little) == TYPE_SHORT && u32(d, p + 4, little) >= 1 ? u16(d, p + 8, little) : NORMAL;
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    /**
     * Returns the image as it should be displayed for the given orientation (EXIF 2.3, tag 274): 2 mirror,
     * 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise.
     * Orientations 5 to 8 swap width and height.
     */
    static RgbImage apply(RgbImage src, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = src.pixels();
        byte[] out = new byte[in.length];
        int o = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // (sx, sy): the stored pixel that is displayed at (x, y)
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int s = 3 * (sy * w + sx);
                out[o++] = in[s];
                out[o++] = in[s + 1];
                out[o++] = in[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }

    private static int u16(byte[] d, int i, boolean little) {
        return little ? (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 : (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    private static long u32(byte[] d, int i, boolean little) {
        return little
                ? (d[i] & 0xFFL) | (d[i + 1] & 0xFFL) << 8 | (d[i + 2] & 0xFFL) << 16 | (d[i + 3] & 0xFFL) << 24
                : (d[i] & 0xFFL) << 24 | (d[i + 1] & 0xFFL) << 16 | (d[i + 2] & 0xFFL) << 8 | (d[i + 3] & 0xFFL);
    }
}
