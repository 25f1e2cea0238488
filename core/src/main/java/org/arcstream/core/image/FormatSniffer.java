package org.arcstream.core.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells the image format from the leading bytes ("magic numbers"), never from a file name: a WebP saved as
 * {@code photo.jpg} is a WebP. Only signatures are compared; whether the rest of the data is valid is the
 * business of the per-format header checks and decoders.
 */
public final class FormatSniffer {

    private FormatSniffer() {}

    /** The format the data starts like, or empty when no known signature matches. */
    public static Optional<ImageFormat> sniff(byte[] d) {
        if (startsWith(d, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(ImageFormat.JPEG);
        }
        if (startsWith(d, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(ImageFormat.PNG);
        }
        if (ascii(d, 0, "GIF87a") || ascii(d, 0, "GIF89a")) {
            return Optional.of(ImageFormat.GIF);
        }
        if (ascii(d, 0, "RIFF") && ascii(d, 8, "WEBP")) {
            return Optional.of(ImageFormat.WEBP);
        }
        if (isBmp(d)) {
            return Optional.of(ImageFormat.BMP);
        }
        // Classic TIFF (42) and BigTIFF (43), either byte order.
        if (startsWith(d, 0, 'I', 'I', 42, 0) || startsWith(d, 0, 'M', 'M', 0, 42)
                || startsWith(d, 0, 'I', 'I', 43, 0) || startsWith(d, 0, 'M', 'M', 0, 43)) {
            return Optional.of(ImageFormat.TIFF);
        }
        if (ascii(d, 4, "ftyp")) {
            return isoMediaBrand(d);
        }
        // JPEG 2000: JP2 signature box, or a bare codestream (SOC + SIZ markers).
        if (startsWith(d, 0, 0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A)
                || startsWith(d, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return Optional.of(ImageFormat.JPEG_2000);
        }
        // JPEG XL: bare codestream, or the ISO BMFF-style container's signature box.
        if (startsWith(d, 0, 0xFF, 0x0A)
                || startsWith(d, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A)) {
            return Optional.of(ImageFormat.JPEG_XL);
        }
        if (ascii(d, 0, "8BPS")) {
            return Optional.of(ImageFormat.PSD);
        }
        if (ascii(d, 0, "%PDF-")) {
            return Optional.of(ImageFormat.PDF);
        }
        // ICO: reserved 0, type 1, at least one image, and the first directory entry's reserved byte 0.
        if (startsWith(d, 0, 0, 0, 1, 0) && d.length >= 22 && (d[4] != 0 || d[5] != 0) && d[9] == 0) {
            return Optional.of(ImageFormat.ICO);
        }
        if (looksLikeSvg(d)) {
            return Optional.of(ImageFormat.SVG);
        }
        return Optional.empty();
    }

    /**
     * "BM" alone also starts plain text ("BMW ..."), so the DIB header size must be one of the sizes that
     * Windows and OS/2 define.
     */
    private static boolean isBmp(byte[] d) {
        if (d.length < 18 || d[0] != 'B' || d[1] != 'M') {
            return false;
        }
        long dibSize = (d[14] & 0xFFL) | (d[15] & 0xFFL) << 8 | (d[16] & 0xFFL) << 16 | (d[17] & 0xFFL) << 24;
        return dibSize == 12 || dibSize == 16 || dibSize == 40 || dibSize == 52 || dibSize == 56
                || dibSize == 64 || dibSize == 108 || dibSize == 124;
    }

    /**
     * ISO base media files (HEIF, AVIF, MP4) start with an {@code ftyp} box: a major brand, a minor version and a
     * list of compatible brands. The major brand decides when it is specific; otherwise the compatible brands.
     */
    private static Optional<ImageFormat> isoMediaBrand(byte[] d) {
        long boxSize = (d[0] & 0xFFL) << 24 | (d[1] & 0xFFL) << 16 | (d[2] & 0xFFL) << 8 | (d[3] & 0xFFL);
        // Brands are read within the box and the data only; 64 brands is far more than any real file lists.
        int end = (int) Math.min(Math.min(boxSize, d.length), 16 + 4 * 64);
        Optional<ImageFormat> major = brand(d, 8);
        if (major.isPresent() && major.get() != ImageFormat.HEIF && major.get() != ImageFormat.MP4) {
            return major;
        }
        Optional<ImageFormat> best = major;
        for (int i = 16; i + 4 <= end; i += 4) {
            Optional<ImageFormat> compatible = brand(d, i);
            if (compatible.isEmpty()) {
                continue;
            }
            ImageFormat f = compatible.get();
            if (f == ImageFormat.AVIF || f == ImageFormat.HEIC) {
                return compatible; // a specific still-image brand beats the generic ones
            }
            if (best.isEmpty() || (best.get() == ImageFormat.MP4 && f == ImageFormat.HEIF)) {
                best = compatible;
            }
        }
        return best;
    }

    private static Optional<ImageFormat> brand(byte[] d, int offset) {
        if (offset + 4 > d.length) {
            return Optional.empty();
        }
        String brand = new String(d, offset, 4, StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "avif", "avis" -> Optional.of(ImageFormat.AVIF);
            case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs" -> Optional.of(ImageFormat.HEIC);
            case "mif1", "mif2", "msf1" -> Optional.of(ImageFormat.HEIF);
            case "jp2 ", "jpx ", "jpm " -> Optional.of(ImageFormat.JPEG_2000);
            case "jxl " -> Optional.of(ImageFormat.JPEG_XL);
            case "isom", "iso2", "mp41", "mp42", "avc1", "qt  ", "M4V ", "3gp4", "3gp5", "3gp6", "3g2a" ->
                    Optional.of(ImageFormat.MP4);
            default -> Optional.empty();
        };
    }

    /** An XML or bare {@code <svg} document: looks for the element within the first kilobyte. */
    private static boolean looksLikeSvg(byte[] d) {
        int i = 0;
        if (startsWith(d, 0, 0xEF, 0xBB, 0xBF)) {
            i = 3; // UTF-8 byte order mark
        }
        while (i < d.length && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) {
            i++;
        }
        if (i >= d.length || d[i] != '<') {
            return false;
        }
        String head = new String(d, i, Math.min(1024, d.length - i), StandardCharsets.ISO_8859_1);
        return head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!")) && head.contains("<svg"));
    }

    private static boolean startsWith(byte[] d, int offset, int... bytes) {
        if (d.length < offset + bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((d[offset + i] & 0xFF) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] d, int offset, String s) {
        if (d.length < offset + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (d[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
