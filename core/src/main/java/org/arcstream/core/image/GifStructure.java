package org.arcstream.core.image;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Finds the first frame of a GIF: skips the colour table and extension blocks up to the first image
 * descriptor and returns that frame's size, which is what the decoder allocates for frame 0 (the logical
 * screen size is not allocated). Frames after the first are never looked at, so a GIF with thousands of frames
 * costs no more than one with a single frame.
 */
final class GifStructure {

    private static final int IMAGE_DESCRIPTOR = 0x2C;
    private static final int EXTENSION = 0x21;
    private static final int TRAILER = 0x3B;

    private GifStructure() {}

    static ImageHeader inspect(byte[] d) {
        int n = d.length;
        if (n < 13) {
            throw truncated();
        }
        int packed = d[10] & 0xFF;
        int i = 13;
        if ((packed & 0x80) != 0) {
            i += 3 << ((packed & 0x07) + 1); // global colour table
        }
        while (i < n) {
            int block = d[i] & 0xFF;
            if (block == IMAGE_DESCRIPTOR) {
                if (i + 10 > n) {
                    throw truncated();
                }
                // descriptor: 2C, left(2), top(2), width(2), height(2), packed(1); little-endian
                int width = u16le(d, i + 5);
                int height = u16le(d, i + 7);
                return new ImageHeader(ImageFormat.GIF, width, height, ExifOrientation.NORMAL, null, d);
            }
            if (block == EXTENSION) {
                i += 2; // introducer and label
                while (i < n && d[i] != 0) { // data sub-blocks, each prefixed by its length
                    i += 1 + (d[i] & 0xFF);
                }
                i++; // block terminator
                continue;
            }
            if (block == TRAILER) {
                throw new ImageDecodeException(Reason.CORRUPT, "GIF contains no image");
            }
            throw new ImageDecodeException(Reason.CORRUPT,
                    String.format("cannot read gif header: unexpected block 0x%02x before the first image", block));
        }
        throw truncated();
    }

    private static ImageDecodeException truncated() {
        return new ImageDecodeException(Reason.CORRUPT, "GIF data ends before its first image (file truncated?)");
    }

    private static int u16le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }
}
