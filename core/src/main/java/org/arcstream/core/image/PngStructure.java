package org.arcstream.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Walks the chunk list of a PNG: size from IHDR, orientation from eXIf, every chunk length checked against the
 * data that is actually there, and a copy of the file that keeps only the chunks the pixels depend on.
 *
 * <p>Why the copy: for palette images the JDK reader parses every ancillary chunk even when told to ignore
 * metadata, and on Java 17 it inflates zTXt/iTXt text without a bound, so a small compressed text chunk can
 * expand to gigabytes. Handing it only IHDR, PLTE, tRNS, IDAT and IEND removes that whole class of input; none of
 * the dropped chunks changes decoded sample values (colour profiles and gamma are ignored anyway, as OpenCV,
 * which the models were validated with, ignores them).
 */
final class PngStructure {

    private static final int SIGNATURE_LENGTH = 8;

    private PngStructure() {}

    static ImageHeader inspect(byte[] d) {
        long n = d.length;
        long i = SIGNATURE_LENGTH;
        int width = -1;
        int height = -1;
        int orientation = ExifOrientation.NORMAL;
        boolean sawIdat = false;
        boolean complete = false;
        ByteArrayOutputStream kept = new ByteArrayOutputStream(d.length);
        kept.write(d, 0, SIGNATURE_LENGTH);
        while (i + 8 <= n) {
            int p = (int) i;
            long length = u32(d, p);
            String type = new String(d, p + 4, 4, StandardCharsets.ISO_8859_1);
            long end = i + 12 + length; // length + type + data + CRC
            if (length > Integer.MAX_VALUE) {
                throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                        "PNG chunk '%s' declares an invalid length of %d bytes", printable(type), length));
            }
            if (end > n) {
                if (i == SIGNATURE_LENGTH || length > n) {
                    // A length that cannot be right, rather than a file cut short: say so.
                    throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                            "PNG chunk '%s' declares %d bytes but only %d bytes of data follow",
                            printable(type), length, n - i - 8));
                }
                break; // cut inside a chunk: truncated
            }
            if (i == SIGNATURE_LENGTH) {
                if (!type.equals("IHDR") || length != 13) {
                    throw new ImageDecodeException(Reason.CORRUPT, "cannot read png header: the first chunk is not IHDR");
                }
                long w = u32(d, p + 8);
                long h = u32(d, p + 12);
                if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
                    throw new ImageDecodeException(Reason.CORRUPT,
                            "image header claims an invalid size of " + w + "x" + h + " pixels");
                }
                width = (int) w;
                height = (int) h;
            }
            switch (type) {
                case "IHDR", "PLTE", "tRNS", "IDAT", "IEND" -> kept.write(d, p, (int) (end - i));
                case "eXIf" -> orientation = ExifOrientation.read(d, p + 8, (int) length);
                default -> {
                    // ancillary or private chunk: not needed for the pixels, not shown to the decoder
                }
            }
            sawIdat |= type.equals("IDAT");
            i = end;
            if (type.equals("IEND")) {
                complete = true;
                break;
            }
        }
        if (width < 0) {
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read png header: the data ends inside the signature or IHDR");
        }
        if (complete && !sawIdat) {
            throw new ImageDecodeException(Reason.CORRUPT, "PNG has no image data (no IDAT chunk)");
        }
        return new ImageHeader(ImageFormat.PNG, width, height, orientation,
                complete ? null : "PNG data ends before the IEND chunk (file truncated?)", kept.toByteArray());
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'z') ? type : "?";
    }

    private static long u32(byte[] d, int i) {
        return (d[i] & 0xFFL) << 24 | (d[i + 1] & 0xFFL) << 16 | (d[i + 2] & 0xFFL) << 8 | (d[i + 3] & 0xFFL);
    }
}
