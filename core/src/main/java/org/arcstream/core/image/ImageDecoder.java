package org.arcstream.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

import org.arcstream.core.image.ImageDecodeException.Reason;

/** Thread-safe decoder of untrusted JPEG, PNG, BMP or GIF data that fails with {@link ImageDecodeException}, never OOM. */
public final class ImageDecoder {

    /** Formats we decode; GIF yields its first frame. */
    public static final Set<String> ACCEPTED_FORMATS = Set.of("jpeg", "png", "bmp", "gif");

    private final ImageLimits limits;

    public ImageDecoder() {
        this(ImageLimits.DEFAULTS);
    }

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * Reads and decodes an image file. The file is never read past {@code maxBytes + 1} bytes, so a huge or
     * endless file (a pipe, a device) cannot exhaust memory.
     *
     * @throws IOException if the file cannot be read at all (missing, no permission)
     */
    public RgbImage decode(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long max = limits.maxBytes();
        // Cheap early rejection; the bounded read below still guards files that grow or lie about their size.
        if (Files.isRegularFile(file) && Files.size(file) > max) {
            throw tooLarge(Files.size(file));
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = in.readNBytes((int) max + 1);
        }
        if (data.length > max) {
            throw new ImageDecodeException(Reason.TOO_LARGE_BYTES,
                    "image file is larger than the limit of " + formatBytes(max));
        }
        return decode(data);
    }

    /** Decodes encoded image bytes. */
    public RgbImage decode(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "image data is empty (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw tooLarge(data.length);
        }
        try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
            ImageReader reader = readerFor(in, data);
            try {
                return decodeWith(reader, in, data);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // Only close() can get here, and closing an in-memory stream does not fail.
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read image: " + e.getMessage(), e);
        }
    }

    private RgbImage decodeWith(ImageReader reader, ImageInputStream in, byte[] data) {
        String format = formatName(reader);
        // ignoreMetadata: we only need pixels, and skipping metadata avoids inflating compressed text chunks.
        reader.setInput(in, true, true);

        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw corrupt("cannot read " + format + " header", e);
        }
        checkDimensions(width, height);

        if (format.equals("jpeg") && !jpegIsComplete(data)) {
            throw new ImageDecodeException(Reason.CORRUPT,
                    "JPEG data ends before the end-of-image marker (file truncated?)");
        }
        if (format.equals("png") && !pngIsComplete(data)) {
            throw new ImageDecodeException(Reason.CORRUPT,
                    "PNG data ends before the IEND chunk (file truncated?)");
        }

        // The JDK JPEG decoder pads a truncated stream with grey and only reports it as a warning.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try {
            image = reader.read(0, reader.getDefaultReadParam());
        } catch (IOException | RuntimeException e) {
            throw corrupt("cannot decode " + format + " pixel data", e);
        }
        for (String warning : warnings) {
            if (isTruncationWarning(warning)) {
                throw new ImageDecodeException(Reason.CORRUPT,
                        format + " decoder reported incomplete data: " + warning);
            }
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                    "%s header claims %dx%d pixels but %dx%d were decoded",
                    format, width, height, image.getWidth(), image.getHeight()));
        }
        return toRgb(image);
    }

    private ImageReader readerFor(ImageInputStream in, byte[] data) {
        List<String> rejected = new ArrayList<>();
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            String format = formatName(reader);
            if (ACCEPTED_FORMATS.contains(format)) {
                return reader;
            }
            reader.dispose();
            // WBMP has no magic number, so "recognised as WBMP" mostly means "bytes starting with two zeros".
            if (!format.equals("wbmp")) {
                rejected.add(format);
            }
        }
        if (!rejected.isEmpty()) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, "image format " + rejected.get(0)
                    + " is not supported (accepted: " + String.join(", ", ACCEPTED_FORMATS.stream().sorted().toList()) + ")");
        }
        throw new ImageDecodeException(Reason.NOT_AN_IMAGE,
                "data is not a recognised image (" + data.length + " bytes starting with " + hexPrefix(data) + ")");
    }

    private void checkDimensions(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(Reason.CORRUPT,
                    "image header claims an invalid size of " + width + "x" + height + " pixels");
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "image header claims %dx%d pixels (%.1f MP), limit is %.1f MP",
                    width, height, pixels / 1e6, limits.maxPixels() / 1e6));
        }
        if (width < limits.minSide() || height < limits.minSide()) {
            throw new ImageDecodeException(Reason.TOO_SMALL, String.format(Locale.ROOT,
                    "image is %dx%d pixels, both sides must be at least %d px",
                    width, height, limits.minSide()));
        }
    }

    private static boolean isTruncationWarning(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        // libjpeg: "Premature end of JPEG file", "Corrupt JPEG data: premature end of data segment";
        // JDK: "Truncated File - Missing EOI marker".
        return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
    }

    /**
     * Walks the JPEG marker structure of the first image and reports whether its EOI marker is present.
     * Data after EOI (padding, appended preview images) is allowed.
     */
    static boolean jpegIsComplete(byte[] d) {
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
            int length = ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
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

    /** Walks the PNG chunk list and reports whether the IEND chunk is present in full. */
    static boolean pngIsComplete(byte[] d) {
        long n = d.length;
        long i = 8; // signature, already checked by the reader
        while (i + 12 <= n) {
            int p = (int) i;
            long length = ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
            boolean iend = d[p + 4] == 'I' && d[p + 5] == 'E' && d[p + 6] == 'N' && d[p + 7] == 'D';
            long end = i + 12 + length; // length + type + data + CRC
            if (end > n) {
                return false;
            }
            if (iend) {
                return true;
            }
            i = end;
        }
        return false;
    }

    /** Converts any decoded image to 8-bit RGB, dropping alpha. Raw samples are used, like OpenCV's imread. */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[3 * w * h];
        if (!copyInterleavedBytes(image, out) && !copyPackedInts(image, out) && !copySamples(image, out)) {
            copyViaGetRgb(image, out);
        }
        return new RgbImage(w, h, out);
    }

    /** Fast path for TYPE_3BYTE_BGR, TYPE_4BYTE_ABGR, TYPE_BYTE_GRAY and similar byte rasters. */
    private static boolean copyInterleavedBytes(BufferedImage image, byte[] out) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
                || !(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()) {
            return false;
        }
        boolean gray = isGray(cm);
        if (!gray && !isRgb(cm)) {
            return false;
        }
        int[] bandOffsets = sm.getBandOffsets();
        int rOff = bandOffsets[0];
        int gOff = bandOffsets[gray ? 0 : 1];
        int bOff = bandOffsets[gray ? 0 : 2];
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int tx = raster.getSampleModelTranslateX();
        int ty = raster.getSampleModelTranslateY();
        byte[] data = buffer.getData();
        int w = image.getWidth();
        int h = image.getHeight();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = buffer.getOffset() + (y - ty) * scanlineStride - tx * pixelStride;
            for (int x = 0; x < w; x++, p += pixelStride) {
                out[o++] = data[p + rOff];
                out[o++] = data[p + gOff];
                out[o++] = data[p + bOff];
            }
        }
        return true;
    }

    /** Fast path for TYPE_INT_RGB and TYPE_INT_ARGB. */
    private static boolean copyPackedInts(BufferedImage image, byte[] out) {
        Raster raster = image.getRaster();
        if (!(raster.getDataBuffer() instanceof DataBufferInt buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm)
                || !(image.getColorModel() instanceof DirectColorModel cm) || cm.isAlphaPremultiplied()
                || cm.getRedMask() != 0xFF0000 || cm.getGreenMask() != 0xFF00 || cm.getBlueMask() != 0xFF
                || !isRgb(cm)) {
            return false;
        }
        int scanlineStride = sm.getScanlineStride();
        int tx = raster.getSampleModelTranslateX();
        int ty = raster.getSampleModelTranslateY();
        int[] data = buffer.getData();
        int w = image.getWidth();
        int h = image.getHeight();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = buffer.getOffset() + (y - ty) * scanlineStride - tx;
            for (int x = 0; x < w; x++) {
                int rgb = data[p + x];
                out[o++] = (byte) (rgb >>> 16);
                out[o++] = (byte) (rgb >>> 8);
                out[o++] = (byte) rgb;
            }
        }
        return true;
    }

    /** Row-wise path for indexed, 16-bit and other integer RGB or grey rasters. */
    private static boolean copySamples(BufferedImage image, byte[] out) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int w = image.getWidth();
        int h = image.getHeight();
        int o = 0;
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            byte[] reds = new byte[size];
            byte[] greens = new byte[size];
            byte[] blues = new byte[size];
            icm.getReds(reds);
            icm.getGreens(greens);
            icm.getBlues(blues);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    // A damaged palette index must not throw; clamp it into the map.
                    int index = Math.min(row[x], size - 1);
                    out[o++] = reds[index];
                    out[o++] = greens[index];
                    out[o++] = blues[index];
                }
            }
            return true;
        }
        int type = raster.getTransferType();
        boolean integral = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT;
        boolean gray = isGray(cm);
        if (!integral || cm.isAlphaPremultiplied() || !(gray || isRgb(cm))
                || !(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)) {
            return false;
        }
        int bands = raster.getNumBands();
        int[] bits = new int[3];
        for (int c = 0; c < 3; c++) {
            bits[c] = cm.getComponentSize(gray ? 0 : c);
            if (bits[c] < 1 || bits[c] > 16) {
                return false;
            }
        }
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) to8Bit(row[p + (gray ? 0 : c)], bits[c]);
                }
            }
        }
        return true;
    }

    private static int to8Bit(int value, int bits) {
        if (bits == 8) {
            return value;
        }
        if (bits > 8) {
            return value >>> (bits - 8); // keep the high byte, as OpenCV does for 16-bit PNGs
        }
        int max = (1 << bits) - 1;
        return (value * 255 + max / 2) / max;
    }

    /** Last resort (CMYK, YCbCr, float rasters): let Java2D convert to sRGB. */
    private static void copyViaGetRgb(BufferedImage image, byte[] out) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                out[o++] = (byte) (rgb >>> 16);
                out[o++] = (byte) (rgb >>> 8);
                out[o++] = (byte) rgb;
            }
        }
    }

    // Any RGB colour space (sRGB or an embedded profile) is taken as-is: the models were validated on
    // OpenCV-decoded images, and OpenCV ignores colour profiles.
    private static boolean isRgb(ColorModel cm) {
        return cm.getColorSpace().getType() == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3;
    }

    // Java2D treats grey as linear and would brighten it in getRGB; image files store grey gamma-encoded.
    private static boolean isGray(ColorModel cm) {
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
    }

    private static String formatName(ImageReader reader) {
        String name;
        try {
            name = reader.getFormatName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "unknown";
        }
        return switch (name) {
            case "jpg" -> "jpeg";
            case "tif" -> "tiff";
            default -> name;
        };
    }

    private ImageDecodeException tooLarge(long size) {
        return new ImageDecodeException(Reason.TOO_LARGE_BYTES,
                "image is " + formatBytes(size) + ", limit is " + formatBytes(limits.maxBytes()));
    }

    private static ImageDecodeException corrupt(String what, Throwable cause) {
        String detail = cause instanceof EOFException ? "unexpected end of data"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (cause instanceof IIOException && cause.getCause() != null && cause.getCause().getMessage() != null) {
            detail += " (" + cause.getCause().getMessage() + ")";
        }
        return new ImageDecodeException(Reason.CORRUPT, what + ": " + detail, cause);
    }

    private static String formatBytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB (%d bytes)", bytes / (1024.0 * 1024.0), bytes);
    }

    private static String hexPrefix(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, data.length); i++) {
            sb.append(String.format(Locale.ROOT, "%02x", data[i] & 0xFF));
        }
        return sb.toString();
    }

    /** Random-access view of a byte array, so ImageIO neither copies the data nor spills it to a temp file. */
    private static final class ByteArrayImageInputStream extends ImageInputStreamImpl {
        private final byte[] data;

        ByteArrayImageInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            if (streamPos >= data.length) {
                return -1;
            }
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }
    }
}
