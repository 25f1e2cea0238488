package org.arcstream.core.image;

import java.util.Locale;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Reads and sanity-checks a BMP file header and DIB header before the JDK reader sees them.
 *
 * <p>The JDK reader trusts header fields with allocations: for BI_JPEG and BI_PNG compression it allocates a
 * buffer of the declared embedded size (up to 4 GB) before reading a byte of it, so a 94-byte file can throw
 * {@link OutOfMemoryError}; and it then decodes the embedded stream without our header checks. Embedded JPEG/PNG
 * BMPs exist only for printer drivers, so they are refused; for every other compression the declared pixel data
 * must lie within the data that is actually there.
 */
final class BmpStructure {

    private static final int FILE_HEADER = 14;
    private static final int BI_RGB = 0;
    private static final int BI_RLE8 = 1;
    private static final int BI_RLE4 = 2;
    private static final int BI_BITFIELDS = 3;
    private static final int BI_JPEG = 4;
    private static final int BI_PNG = 5;
    private static final int BI_ALPHABITFIELDS = 6;

    private BmpStructure() {}

    static ImageHeader inspect(byte[] d) {
        long n = d.length;
        if (n < FILE_HEADER + 12) {
            throw corrupt("the data ends inside the header");
        }
        long pixelOffset = u32(d, 10);
        long dibSize = u32(d, 14);
        if (FILE_HEADER + dibSize > n) {
            throw corrupt("the data ends inside the header");
        }
        int width;
        int height;
        int bitsPerPixel;
        long compression = BI_RGB;
        long imageSize = 0;
        if (dibSize == 12) { // OS/2 1.x / Windows 2.x: 16-bit sizes
            width = u16(d, 18);
            height = (short) u16(d, 20);
            bitsPerPixel = u16(d, 24);
        } else {
            width = (int) u32(d, 18);
            height = (int) u32(d, 22);
            bitsPerPixel = u16(d, 28);
            if (dibSize >= 40) {
                compression = u32(d, 30);
                imageSize = u32(d, 34);
            }
        }
        // A negative height means rows are stored top-down.
        int absHeight = height == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(height);
        if (pixelOffset < FILE_HEADER + dibSize || pixelOffset > n) {
            throw corrupt(String.format(Locale.ROOT,
                    "pixel data offset %d lies outside the %d bytes of data", pixelOffset, n));
        }
        long available = n - pixelOffset;
        if (imageSize > available) {
            throw corrupt(String.format(Locale.ROOT,
                    "header declares %d bytes of pixel data but only %d bytes follow", imageSize, available));
        }
        if (compression == BI_JPEG || compression == BI_PNG) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                    "BMP files with embedded " + (compression == BI_JPEG ? "JPEG" : "PNG")
                            + " data are not supported; convert to JPEG or PNG");
        }
        if (compression != BI_RGB && compression != BI_RLE8 && compression != BI_RLE4
                && compression != BI_BITFIELDS && compression != BI_ALPHABITFIELDS) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, "BMP compression " + compression + " is not supported");
        }
        if (bitsPerPixel != 1 && bitsPerPixel != 4 && bitsPerPixel != 8 && bitsPerPixel != 16
                && bitsPerPixel != 24 && bitsPerPixel != 32) {
            throw corrupt("invalid bits per pixel: " + bitsPerPixel);
        }
        String truncation = null;
        if (width > 0 && absHeight > 0 && (compression == BI_RGB || compression == BI_BITFIELDS
                || compression == BI_ALPHABITFIELDS)) {
            // Uncompressed rows are padded to 4 bytes; the file must hold them all.
            long rowBytes = ((long) width * bitsPerPixel + 31) / 32 * 4;
            if (rowBytes * absHeight > available) {
                truncation = String.format(Locale.ROOT,
                        "BMP data ends before its last pixel row (%d of %d bytes present; file truncated?)",
                        available, rowBytes * absHeight);
            }
        }
        return new ImageHeader(ImageFormat.BMP, width, absHeight, ExifOrientation.NORMAL, truncation, d);
    }

    private static ImageDecodeException corrupt(String detail) {
        return new ImageDecodeException(Reason.CORRUPT, "cannot read bmp header: " + detail);
    }

    private static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] d, int i) {
        return (d[i] & 0xFFL) | (d[i + 1] & 0xFFL) << 8 | (d[i + 2] & 0xFFL) << 16 | (d[i + 3] & 0xFFL) << 24;
    }
}
