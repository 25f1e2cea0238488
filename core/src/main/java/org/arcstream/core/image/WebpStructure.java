package org.arcstream.core.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Walks the RIFF chunks of a WebP file: canvas size (VP8X), the size written in the first image's VP8 or VP8L
 * bitstream header, the first animation frame's size, and the EXIF orientation.
 *
 * <p>The decoder allocates from two places: the canvas or frame size for the destination image, and the
 * bitstream's own size for its working buffers. Both are taken from here and must agree, so that checking the
 * returned size against the pixel limit bounds every allocation. Each chunk length must also fit in the data.
 *
 * <p>The decoder gets a copy whose VP8X header does not announce an ICC profile, so the profile is neither
 * parsed nor applied: samples are used as stored, as for every other format (see {@link JpegStructure}).
 */
final class WebpStructure {

    /** VP8X flag: an ICCP chunk is present. */
    private static final int ICC_FLAG = 0x20;

    private WebpStructure() {}

    static ImageHeader inspect(byte[] d) {
        int n = d.length;
        if (n < 20) {
            throw corrupt("the data ends inside the header");
        }
        long riffEnd = 8 + u32(d, 4);
        String truncation = riffEnd > n ? "WebP data ends before the end of its RIFF container (file truncated?)" : null;
        int end = (int) Math.min(riffEnd, n);

        String first = fourCc(d, 12);
        if (!first.equals("VP8X")) {
            if (truncation == null && 20 + u32(d, 16) > riffEnd) {
                throw corrupt("image chunk is longer than its RIFF container");
            }
            int[] size = bitstreamSize(d, 12, end);
            return new ImageHeader(ImageFormat.WEBP, size[0], size[1], ExifOrientation.NORMAL, truncation, d);
        }
        if (u32(d, 16) != 10 || 30 > end) {
            throw corrupt("invalid VP8X chunk");
        }
        boolean animated = (d[20] & 0x02) != 0;
        int canvasWidth = 1 + u24(d, 24);
        int canvasHeight = 1 + u24(d, 27);
        int orientation = ExifOrientation.NORMAL;
        int[] image = null;
        for (int i = 30; i + 8 <= end; ) {
            String type = fourCc(d, i);
            long length = u32(d, i + 4);
            long next = i + 8 + length + (length & 1);
            if (i + 8 + length > end) {
                if (truncation != null) {
                    throw new ImageDecodeException(Reason.CORRUPT, truncation);
                }
                throw corrupt(String.format(Locale.ROOT, "chunk '%s' declares %d bytes but only %d follow",
                        printable(type), length, end - i - 8));
            }
            switch (type) {
                case "VP8 ", "VP8L" -> {
                    if (image == null && !animated) {
                        image = bitstreamSize(d, i, end);
                    }
                }
                case "ANMF" -> {
                    if (image == null && animated) {
                        image = firstFrame(d, i, (int) length, canvasWidth, canvasHeight);
                    }
                }
                case "EXIF" -> orientation = exifOrientation(d, i + 8, (int) length);
                default -> {
                    // ALPH, ICCP, ANIM, XMP and unknown chunks: nothing to check here
                }
            }
            i = (int) Math.min(next, Integer.MAX_VALUE);
        }
        if (image == null) {
            throw corrupt(animated ? "animation has no frame" : "no VP8 or VP8L image data");
        }
        if (!animated && (image[0] != canvasWidth || image[1] != canvasHeight)) {
            throw corrupt(String.format(Locale.ROOT, "canvas is %dx%d but the image is %dx%d",
                    canvasWidth, canvasHeight, image[0], image[1]));
        }
        byte[] decoderInput = d;
        if ((d[20] & ICC_FLAG) != 0) {
            decoderInput = d.clone();
            decoderInput[20] &= (byte) ~ICC_FLAG;
        }
        return new ImageHeader(ImageFormat.WEBP, image[0], image[1], orientation, truncation, decoderInput);
    }

    /** The first ANMF frame: its declared size, which must match its bitstream and fit the canvas. */
    private static int[] firstFrame(byte[] d, int chunk, int length, int canvasWidth, int canvasHeight) {
        int p = chunk + 8;
        if (length < 16 + 8) {
            throw corrupt("animation frame too short");
        }
        int x = 2 * u24(d, p);
        int y = 2 * u24(d, p + 3);
        int w = 1 + u24(d, p + 6);
        int h = 1 + u24(d, p + 9);
        if ((long) x + w > canvasWidth || (long) y + h > canvasHeight) {
            throw corrupt("animation frame lies outside the canvas");
        }
        int end = p + length;
        for (int i = p + 16; i + 8 <= end; ) {
            String type = fourCc(d, i);
            long sub = u32(d, i + 4);
            if (type.equals("VP8 ") || type.equals("VP8L")) {
                int[] size = bitstreamSize(d, i, end);
                if (size[0] != w || size[1] != h) {
                    throw corrupt(String.format(Locale.ROOT, "animation frame is %dx%d but its image is %dx%d",
                            w, h, size[0], size[1]));
                }
                return size;
            }
            i += (int) Math.min(8 + sub + (sub & 1), Integer.MAX_VALUE - i);
        }
        throw corrupt("animation frame has no image data");
    }

    /** Size from a VP8 (lossy) or VP8L (lossless) chunk header at {@code d[chunk]}. */
    private static int[] bitstreamSize(byte[] d, int chunk, int end) {
        String type = fourCc(d, chunk);
        int p = chunk + 8;
        if (type.equals("VP8 ")) {
            // frame tag (3 bytes, bit 0 = 0 for a key frame), start code 9D 01 2A, 14-bit width and height
            if (p + 10 > end || (d[p] & 0x01) != 0 || (d[p + 3] & 0xFF) != 0x9D || (d[p + 4] & 0xFF) != 0x01
                    || (d[p + 5] & 0xFF) != 0x2A) {
                throw corrupt("invalid VP8 frame header");
            }
            return new int[] {u16(d, p + 6) & 0x3FFF, u16(d, p + 8) & 0x3FFF};
        }
        if (type.equals("VP8L")) {
            // signature 0x2F, then width-1 and height-1 in 14 bits each, least significant bit first
            if (p + 5 > end || (d[p] & 0xFF) != 0x2F) {
                throw corrupt("invalid VP8L header");
            }
            long bits = u32(d, p + 1);
            return new int[] {1 + (int) (bits & 0x3FFF), 1 + (int) ((bits >>> 14) & 0x3FFF)};
        }
        throw corrupt("unknown image chunk '" + printable(type) + "'");
    }

    /** WebP EXIF chunks hold a TIFF structure; some writers put JPEG's "Exif\0\0" prefix in front of it. */
    private static int exifOrientation(byte[] d, int p, int length) {
        if (length > 6 && d[p] == 'E' && d[p + 1] == 'x' && d[p + 2] == 'i' && d[p + 3] == 'f' && d[p + 4] == 0) {
            return ExifOrientation.read(d, p + 6, length - 6);
        }
        return ExifOrientation.read(d, p, length);
    }

    private static ImageDecodeException corrupt(String detail) {
        return new ImageDecodeException(Reason.CORRUPT, "cannot read webp header: " + detail);
    }

    private static String fourCc(byte[] d, int i) {
        return i + 4 <= d.length ? new String(d, i, 4, StandardCharsets.ISO_8859_1) : "";
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= ' ' && c <= 'z') ? type : "?";
    }

    private static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    private static int u24(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16;
    }

    private static long u32(byte[] d, int i) {
        return (d[i] & 0xFFL) | (d[i + 1] & 0xFFL) << 8 | (d[i + 2] & 0xFFL) << 16 | (d[i + 3] & 0xFFL) << 24;
    }
}
