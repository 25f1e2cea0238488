package org.arcstream.core.image;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Walks the IFD structure of a TIFF (or BigTIFF) file the way TwelveMonkeys' reader will, and refuses what would
 * make that reader allocate without bound, before it runs.
 *
 * <p>That reader parses every IFD in the chain plus the SubIFD, Exif, GPS and Interoperability IFDs, and loads
 * every value eagerly (widened: a 4-byte LONG becomes an 8-byte long, a RATIONAL an object). Offsets are only
 * checked against the file length, so a crafted file whose entries all point at the same large value multiplies
 * its own size many times over. Here the number of IFDs and entries is capped and the declared value bytes may
 * not add up to more than the file holds (real files store each value once). For the first image, the one
 * decoded, the size, samples per pixel, strips or tiles and compression are checked against the data and the
 * limits.
 */
final class TiffStructure {

    /** Pages, thumbnails and sub-IFDs together; a photo has one or two, a multi-page scan a few dozen. */
    static final int MAX_IFDS = 64;
    /** Entries per IFD; real files have 10-50, the format allows 65535 (BigTIFF: 2^64). */
    static final int MAX_ENTRIES = 1024;
    /** Samples per pixel: grey, RGB, CMYK, each with alpha and a few extra channels. */
    static final int MAX_SAMPLES = 8;
    /**
     * Decoded sample bytes per pixel the limit allows, e.g. 16-bit RGBA: the 8 bytes per pixel that
     * {@link ImageLimits#DEFAULT_MAX_PIXELS} was sized for.
     */
    static final int MAX_BYTES_PER_PIXEL = 8;

    private static final Set<Integer> SUPPORTED_COMPRESSION = Set.of(
            1, // none
            2, 3, 4, // CCITT RLE, T.4, T.6 (fax)
            5, // LZW
            7, // JPEG
            8, 32946, // Deflate
            32773); // PackBits

    private static final int TAG_SUB_IFDS = 330;
    private static final int TAG_EXIF_IFD = 34665;
    private static final int TAG_GPS_IFD = 34853;
    private static final int TAG_INTEROP_IFD = 40965;

    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};

    private final byte[] d;
    private final boolean little;
    private final boolean big;

    private TiffStructure(byte[] d, boolean little, boolean big) {
        this.d = d;
        this.little = little;
        this.big = big;
    }

    static ImageHeader inspect(byte[] d, ImageLimits limits) {
        if (d.length < 16) {
            throw corrupt("the data ends inside the header");
        }
        boolean little = d[0] == 'I';
        TiffStructure tiff = new TiffStructure(d, little, tiffVersion(d, little) == 43);
        return tiff.walk(limits);
    }

    private static int tiffVersion(byte[] d, boolean little) {
        return little ? (d[2] & 0xFF) | (d[3] & 0xFF) << 8 : (d[2] & 0xFF) << 8 | (d[3] & 0xFF);
    }

    private ImageHeader walk(ImageLimits limits) {
        long firstIfd = big ? u64(8) : u32(4);
        if (firstIfd == 0) {
            // the loop below would not run at all, and there would be no image to look at
            throw corrupt("first IFD offset 0 is invalid");
        }
        Deque<Long> pending = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        long valueBytes = 0;
        Ifd first = null;
        long next = firstIfd;
        // The main chain first (as the reader does), each IFD's sub-IFDs queued as they are found.
        while (next != 0 || !pending.isEmpty()) {
            long offset = next != 0 ? next : pending.pop();
            boolean inChain = next != 0;
            if (offset < 8 || offset >= d.length || !seen.add(offset)) {
                if (first == null) {
                    throw corrupt("first IFD offset " + offset + " is invalid");
                }
                next = 0; // the reader stops at a bad or repeated offset too
                continue;
            }
            if (seen.size() > MAX_IFDS) {
                throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, String.format(Locale.ROOT,
                        "TIFF has more than %d images and sub-directories; only single images or small multi-page files are accepted",
                        MAX_IFDS));
            }
            Ifd ifd = readIfd(offset);
            valueBytes += ifd.valueBytes;
            if (valueBytes > d.length + 65_536L) {
                throw corrupt(String.format(Locale.ROOT,
                        "its directories declare more value data than the file holds (%d bytes in %d)", valueBytes, d.length));
            }
            if (first == null) {
                first = ifd;
            }
            for (long sub : ifd.subIfds) {
                pending.add(sub);
            }
            next = inChain ? ifd.next : 0;
        }
        return firstImage(first, limits);
    }

    /** One directory: its entries' positions, the sub-IFD pointers found in it, and the next IFD in the chain. */
    private final class Ifd {
        final int entriesStart;
        final int entryCount;
        long valueBytes;
        long next;
        final List<Long> subIfds = new ArrayList<>();

        Ifd(int entriesStart, int entryCount) {
            this.entriesStart = entriesStart;
            this.entryCount = entryCount;
        }

        /** Position of the entry with the tag, or -1. */
        int find(int tag) {
            for (int i = 0; i < entryCount; i++) {
                int e = entriesStart + i * entrySize();
                if (u16(e) == tag) {
                    return e;
                }
            }
            return -1;
        }
    }

    private Ifd readIfd(long offset) {
        int countSize = big ? 8 : 2;
        if (offset + countSize > d.length) {
            throw corrupt("an IFD lies outside the data");
        }
        long count = big ? u64((int) offset) : u16((int) offset);
        if (count < 0 || count > MAX_ENTRIES) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, String.format(Locale.ROOT,
                    "TIFF directory has %d entries, more than the %d accepted", count, MAX_ENTRIES));
        }
        int start = (int) offset + countSize;
        // Entries cut off by the end of the data are dropped, as the reader does at EOF.
        int entries = (int) Math.min(count, (d.length - start) / entrySize());
        Ifd ifd = new Ifd(start, entries);
        for (int i = 0; i < entries; i++) {
            int e = start + i * entrySize();
            int tag = u16(e);
            int type = u16(e + 2);
            long n = count(e);
            if (type <= 0 || type >= TYPE_SIZES.length || TYPE_SIZES[type] == 0) {
                continue; // the reader skips unknown types
            }
            long bytes = n * TYPE_SIZES[type];
            if (n > Integer.MAX_VALUE || bytes < 0) {
                continue; // the reader rejects such counts before reading
            }
            if (bytes > offsetSize()) {
                long at = offsetField(e);
                if (at + bytes <= d.length) {
                    ifd.valueBytes += bytes; // the reader loads only values that lie within the data
                }
            }
            if (tag == TAG_SUB_IFDS || tag == TAG_EXIF_IFD || tag == TAG_GPS_IFD || tag == TAG_INTEROP_IFD) {
                for (long k = 0; k < Math.min(n, MAX_IFDS + 1L); k++) {
                    long v = value(e, (int) k);
                    if (v > 0) {
                        ifd.subIfds.add(v);
                    }
                }
            }
        }
        int after = start + (int) Math.min(count, entries) * entrySize();
        ifd.next = after + offsetSize() <= d.length ? (big ? u64(after) : u32(after)) : 0;
        return ifd;
    }

    private ImageHeader firstImage(Ifd ifd, ImageLimits limits) {
        long width = scalar(ifd, 256, -1);
        long height = scalar(ifd, 257, -1);
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new ImageDecodeException(Reason.CORRUPT,
                    "image header claims an invalid size of " + width + "x" + height + " pixels");
        }
        // The pixel limit is checked by the decoder with the standard message; the checks below need it first.
        if (width * height > limits.maxPixels()) {
            return new ImageHeader(ImageFormat.TIFF, (int) width, (int) height, ExifOrientation.NORMAL, null, d);
        }
        long compression = scalar(ifd, 259, 1);
        if (compression == 6) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                    "TIFF with old-style JPEG compression (6) is not supported; convert to JPEG or PNG");
        }
        if (!SUPPORTED_COMPRESSION.contains((int) compression)) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                    "TIFF compression " + compression + " is not supported; convert to JPEG or PNG");
        }
        long samples = scalar(ifd, 277, 1);
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                    "TIFF with " + samples + " samples per pixel is not supported");
        }
        int bitsEntry = ifd.find(258);
        long maxBits = 1;
        for (int s = 0; s < samples; s++) {
            long bits = bitsEntry < 0 ? 1 : count(bitsEntry) > s ? value(bitsEntry, s) : value(bitsEntry, 0);
            if (bits < 1 || bits > 32) {
                throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, "TIFF with " + bits + "-bit samples is not supported");
            }
            maxBits = Math.max(maxBits, bits);
        }
        long bytesPerPixel = samples * ((maxBits + 7) / 8);
        long budget = limits.maxPixels() * MAX_BYTES_PER_PIXEL;
        if (width * height * bytesPerPixel > budget) {
            throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "TIFF of %dx%d pixels with %d bytes per pixel needs %.1f MB, limit is %.1f MB",
                    width, height, bytesPerPixel, width * height * bytesPerPixel / 1e6, budget / 1e6));
        }
        boolean planar = scalar(ifd, 284, 1) == 2;
        long planes = planar ? samples : 1;
        if (ifd.find(322) >= 0 || ifd.find(324) >= 0) {
            long tileWidth = scalar(ifd, 322, -1);
            long tileHeight = scalar(ifd, 323, -1);
            if (tileWidth <= 0 || tileHeight <= 0 || tileWidth > 65_536 || tileHeight > 65_536) {
                throw corrupt("invalid tile size " + tileWidth + "x" + tileHeight);
            }
            if (tileWidth * tileHeight * bytesPerPixel > budget) {
                throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                        "TIFF tiles of %dx%d pixels exceed the limit", tileWidth, tileHeight));
            }
            long needed = ceilDiv(width, tileWidth) * ceilDiv(height, tileHeight) * planes;
            checkSegments(ifd, 324, 325, needed, compression, "tile", tileWidth, tileHeight);
        } else {
            long rows = Math.min(scalar(ifd, 278, height), height);
            if (rows <= 0) {
                throw corrupt("invalid rows per strip " + rows);
            }
            long needed = ceilDiv(height, rows) * planes;
            checkSegments(ifd, 273, 279, needed, compression, "strip", width, rows);
        }
        int orientation = (int) scalar(ifd, 274, ExifOrientation.NORMAL);
        if (orientation < 1 || orientation > 8) {
            orientation = ExifOrientation.NORMAL;
        }
        return new ImageHeader(ImageFormat.TIFF, (int) width, (int) height, orientation, null, d);
    }

    /**
     * Strips or tiles: there must be as many as the image needs, each inside the data; JPEG-compressed ones may
     * not declare a larger frame than their strip or tile, since the JPEG decoder allocates what its header says.
     */
    private void checkSegments(Ifd ifd, int offsetsTag, int countsTag, long needed, long compression, String what,
                               long segmentWidth, long segmentHeight) {
        int offsets = ifd.find(offsetsTag);
        int counts = ifd.find(countsTag);
        if (offsets < 0 || count(offsets) < needed) {
            throw corrupt(String.format(Locale.ROOT, "the image needs %d %ss but %d are listed",
                    needed, what, offsets < 0 ? 0 : count(offsets)));
        }
        if (counts >= 0 && count(counts) < needed) {
            throw corrupt(String.format(Locale.ROOT, "the image needs %d %s sizes but %d are listed", needed, what, count(counts)));
        }
        if (counts < 0 && compression != 1) {
            throw corrupt("compressed " + what + "s without their byte counts");
        }
        for (int i = 0; i < needed; i++) {
            long at = value(offsets, i);
            long length = counts >= 0 ? value(counts, i) : 0;
            if (at < 0 || length < 0 || at > d.length || at + length > d.length) {
                throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                        "TIFF %s %d (%d bytes at offset %d) lies outside the %d bytes of data (file truncated?)",
                        what, i, length, at, d.length));
            }
            if (compression == 7 && length > 0) {
                int[] frame = JpegStructure.frameSize(d, (int) at, (int) length);
                // Encoders may pad a JPEG frame to whole 16-pixel blocks.
                if (frame != null && (frame[0] > roundUp16(segmentWidth) || frame[1] > roundUp16(segmentHeight))) {
                    throw corrupt(String.format(Locale.ROOT, "JPEG %s %d claims %dx%d pixels, more than its %dx%d",
                            what, i, frame[0], frame[1], segmentWidth, segmentHeight));
                }
            }
        }
    }

    /** First value of a SHORT/LONG/LONG8 tag, or the default when absent or of another type. */
    private long scalar(Ifd ifd, int tag, long absent) {
        int e = ifd.find(tag);
        return e < 0 || count(e) < 1 ? absent : value(e, 0);
    }

    /** The k-th value of an integer entry (BYTE, SHORT, LONG, LONG8, IFD, IFD8), or -1 when unreadable. */
    private long value(int e, int k) {
        int type = u16(e + 2);
        int size = type > 0 && type < TYPE_SIZES.length ? TYPE_SIZES[type] : 0;
        boolean integral = type == 1 || type == 3 || type == 4 || type == 13 || type == 16 || type == 18;
        if (!integral || k >= count(e)) {
            return -1;
        }
        long total = count(e) * size;
        long base = total <= offsetSize() ? e + 4 + (big ? 8 : 4) : offsetField(e);
        long at = base + (long) k * size;
        if (at < 0 || at + size > d.length) {
            return -1;
        }
        int p = (int) at;
        return switch (size) {
            case 1 -> d[p] & 0xFF;
            case 2 -> u16(p);
            case 4 -> u32(p);
            default -> u64(p);
        };
    }

    private long count(int e) {
        return big ? u64(e + 4) : u32(e + 4);
    }

    private long offsetField(int e) {
        return big ? u64(e + 12) : u32(e + 8);
    }

    private int entrySize() {
        return big ? 20 : 12;
    }

    private int offsetSize() {
        return big ? 8 : 4;
    }

    private static long roundUp16(long v) {
        return (v + 15) / 16 * 16;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static ImageDecodeException corrupt(String detail) {
        return new ImageDecodeException(Reason.CORRUPT, "cannot read tiff header: " + detail);
    }

    private int u16(int i) {
        return little ? (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 : (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    private long u32(int i) {
        return little
                ? (d[i] & 0xFFL) | (d[i + 1] & 0xFFL) << 8 | (d[i + 2] & 0xFFL) << 16 | (d[i + 3] & 0xFFL) << 24
                : (d[i] & 0xFFL) << 24 | (d[i + 1] & 0xFFL) << 16 | (d[i + 2] & 0xFFL) << 8 | (d[i + 3] & 0xFFL);
    }

    /** Unsigned 64-bit values above 2^63 come out negative and fail every range check, as they should. */
    private long u64(int i) {
        long a = u32(i);
        long b = u32(i + 4);
        return little ? b << 32 | a : a << 32 | b;
    }
}
