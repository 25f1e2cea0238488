package org.arcstream.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Walks the marker structure of a JPEG without decoding it: frame size from the first SOF segment, the EXIF
 * orientation from the first APP1 "Exif" segment, and whether the end-of-image marker is present (the JDK
 * decoder pads a truncated stream with grey and only warns).
 *
 * <p>For grey and colour (1- and 3-component) JPEGs the decoder gets a copy without the embedded ICC profile:
 * the TwelveMonkeys reader would otherwise convert such images to sRGB (a phone's Display P3 photo, an Adobe RGB
 * export), while the models were validated on OpenCV-decoded pixels, which ignore profiles, and PNG, WebP and
 * TIFF are decoded without conversion too. CMYK and YCCK keep their profile: it is how their inks become RGB.
 */
final class JpegStructure {

    private JpegStructure() {}

    static ImageHeader inspect(byte[] d) {
        int[] size = frameSize(d, 0, d.length);
        if (size == null) {
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read jpeg header: no frame header before the image data");
        }
        int orientation = exifOrientation(d);
        byte[] decoderInput = size[2] <= 3 ? withoutIccProfile(d) : d;
        return new ImageHeader(ImageFormat.JPEG, size[0], size[1], orientation,
                isComplete(d) ? null : "JPEG data ends before the end-of-image marker (file truncated?)", decoderInput);
    }

    /**
     * Width, height and number of components from the first SOFn segment of the JPEG at {@code d[offset..offset+length)}, or null when
     * none comes before the first scan or the end of the data. Also used for JPEG strips inside TIFF files.
     */
    static int[] frameSize(byte[] d, int offset, int length) {
        int end = offset + length;
        if (length < 4 || (d[offset] & 0xFF) != 0xFF || (d[offset + 1] & 0xFF) != 0xD8) {
            return null;
        }
        int i = offset + 2;
        while (i + 4 <= end) {
            if ((d[i] & 0xFF) != 0xFF) {
                i++; // like libjpeg, skip stray bytes before a marker
                continue;
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += marker == 0xFF ? 1 : 2; // fill byte, or a marker without a length field
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return null; // scan data or end of image before any frame header
            }
            int segmentLength = u16(d, i + 2);
            if (segmentLength < 2) {
                return null;
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 10 > end) {
                    return null;
                }
                // segment: FF Cn, length(2), precision(1), height(2), width(2), components(1), 3 bytes each
                int precision = d[i + 4] & 0xFF;
                int components = d[i + 9] & 0xFF;
                if (precision < 2 || precision > 16 || components < 1 || components > 4
                        || segmentLength != 8 + 3 * components) {
                    return null; // not a frame header any decoder would accept
                }
                return new int[] {u16(d, i + 7), u16(d, i + 5), components};
            }
            i += 2 + segmentLength;
        }
        return null;
    }

    /**
     * The data without APP2 "ICC_PROFILE" segments before the first scan; the data itself when it has none.
     * Everything from the first scan on is copied as it is.
     */
    static byte[] withoutIccProfile(byte[] d) {
        ByteArrayOutputStream out = null;
        int copiedUpTo = 0;
        int i = 2;
        while (i + 4 <= d.length && (d[i] & 0xFF) == 0xFF) {
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int segmentLength = u16(d, i + 2);
            if (segmentLength < 2 || i + 2 + segmentLength > d.length) {
                break; // damaged: leave the rest to the decoder
            }
            if (marker == 0xE2 && segmentLength >= 14 && new String(d, i + 4, 12, StandardCharsets.ISO_8859_1)
                    .equals("ICC_PROFILE\0")) {
                if (out == null) {
                    out = new ByteArrayOutputStream(d.length);
                }
                out.write(d, copiedUpTo, i - copiedUpTo);
                copiedUpTo = i + 2 + segmentLength;
            }
            i += 2 + segmentLength;
        }
        if (out == null) {
            return d;
        }
        out.write(d, copiedUpTo, d.length - copiedUpTo);
        return out.toByteArray();
    }

    /** Orientation from the first APP1 segment that starts with "Exif\0\0", else 1. */
    static int exifOrientation(byte[] d) {
        int i = 2;
        while (i + 4 <= d.length && (d[i] & 0xFF) == 0xFF) {
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9 || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)) {
                return 1; // EXIF comes before the frame header; stop at it
            }
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int segmentLength = u16(d, i + 2);
            if (segmentLength < 2) {
                return 1;
            }
            int payload = i + 4;
            int payloadLength = Math.min(segmentLength - 2, d.length - payload);
            if (marker == 0xE1 && payloadLength > 6 && d[payload] == 'E' && d[payload + 1] == 'x'
                    && d[payload + 2] == 'i' && d[payload + 3] == 'f' && d[payload + 4] == 0 && d[payload + 5] == 0) {
                return ExifOrientation.read(d, payload + 6, payloadLength - 6);
            }
            i += 2 + segmentLength;
        }
        return 1;
    }

    /**
     * Walks the marker structure of the first image and reports whether its EOI marker is present.
     * Data after EOI (padding, appended preview images) is allowed.
     */
    static boolean isComplete(byte[] d) {
        int n = d.length;
        if (n < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            return false;
        }
        int i = 2;
        boolean inScan = false;
        while (i < n) {
            if (inScan) {
                // Entropy-coded data: 0xFF is either stuffed (FF00), a restart marker, fill, or a real marker.
                if ((d[i] & 0xFF) != 0xFF) {
                    i++;
                    continue;
                }
                if (i + 1 >= n) {
                    return false;
                }
                int next = d[i + 1] & 0xFF;
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                    i += 2;
                } else if (next == 0xFF) {
                    i++;
                } else {
                    inScan = false;
                }
                continue;
            }
            // Like libjpeg, skip stray bytes before a marker rather than failing on them.
            while (i < n && (d[i] & 0xFF) != 0xFF) {
                i++;
            }
            while (i < n && (d[i] & 0xFF) == 0xFF) {
                i++;
            }
            if (i >= n) {
                return false;
            }
            int marker = d[i++] & 0xFF;
            if (marker == 0xD9) {
                return true;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length field
            }
            if (i + 2 > n) {
                return false;
            }
            int length = u16(d, i);
            if (length < 2) {
                return false;
            }
            i += length;
            if (marker == 0xDA) {
                inScan = true;
            }
        }
        return false;
    }

    private static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }
}
