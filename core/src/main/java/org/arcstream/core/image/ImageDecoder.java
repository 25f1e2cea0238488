package org.arcstream.core.image;

import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.arcstream.core.image.ImageDecodeException.Reason;

/**
 * Thread-safe decoder of untrusted JPEG, PNG, WebP, BMP, GIF or TIFF data into upright 8-bit RGB. It fails with
 * {@link ImageDecodeException}, never with an {@link OutOfMemoryError} or other error escaping to the caller.
 *
 * <p>Order of work: the format is sniffed from the bytes ({@link FormatSniffer}); that format's header check
 * ({@code *Structure}) reads the size and rejects crafted structure before any decoder allocates; the size is
 * checked against {@link ImageLimits}; only then does the reader picked for that format ({@link ImageReaders})
 * decode; finally alpha is composited ({@link RgbConverter}) and the EXIF orientation applied
 * ({@link ExifOrientation}).
 */
public final class ImageDecoder {

    /** Formats we decode; GIF yields its first frame. */
    public static final Set<String> ACCEPTED_FORMATS = ImageFormat.DECODABLE_NAMES;

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
     * Reads and decodes an image file. The format comes from the file's bytes, never its name. The file is never
     * read past {@code maxBytes + 1} bytes, so a huge or endless file (a pipe, a device) cannot exhaust memory.
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
        ImageFormat format = FormatSniffer.sniff(data).orElseThrow(() -> new ImageDecodeException(Reason.NOT_AN_IMAGE,
                "data is not a recognised image (" + data.length + " bytes starting with " + hexPrefix(data)
                        + "; accepted: " + ImageFormat.acceptedList() + ")"));
        if (!format.decodable()) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, format.refusal());
        }
        ImageHeader header = inspect(format, data);
        checkDimensions(header.width(), header.height());
        if (header.truncation() != null) {
            throw new ImageDecodeException(Reason.CORRUPT, header.truncation());
        }
        try {
            RgbImage stored = decodePixels(header);
            return ExifOrientation.apply(stored, header.orientation());
        } catch (Error e) {
            throw rejectionFor(e, header);
        }
    }

    /**
     * Turns an {@link Error} thrown while decoding one image into the rejection of that image.
     *
     * <p>Catching Error is deliberate here. The header checks bound what a decoder should allocate, but decoders
     * are large third-party code fed untrusted bytes: a crafted file can still drive one into an
     * OutOfMemoryError, a StackOverflowError or an InternalError (e.g. from the colour management module). Such
     * an error concerns one record: the failed allocation or the deep stack belonged to this decode alone and is
     * gone once it unwinds, and no shared state is left half-updated. Letting it escape would kill the stream
     * thread that serves every other record. A {@link LinkageError} (a missing or broken plugin class) is a
     * deployment fault, not a bad image, and is rethrown.
     */
    static ImageDecodeException rejectionFor(Error e, ImageHeader header) {
        if (e instanceof LinkageError linkage) {
            throw linkage;
        }
        String what = String.format(Locale.ROOT, "%dx%d %s image", header.width(), header.height(), header.format().displayName());
        if (e instanceof OutOfMemoryError) {
            return new ImageDecodeException(Reason.TOO_MANY_PIXELS, "not enough memory to decode this " + what, e);
        }
        return new ImageDecodeException(Reason.CORRUPT,
                "cannot decode this " + what + ": the decoder failed with " + e.getClass().getSimpleName(), e);
    }

    private ImageHeader inspect(ImageFormat format, byte[] data) {
        try {
            return switch (format) {
                case JPEG -> JpegStructure.inspect(data);
                case PNG -> PngStructure.inspect(data);
                case GIF -> GifStructure.inspect(data);
                case BMP -> BmpStructure.inspect(data);
                case WEBP -> WebpStructure.inspect(data);
                case TIFF -> TiffStructure.inspect(data, limits);
                default -> throw new IllegalStateException("no header check for " + format);
            };
        } catch (IndexOutOfBoundsException e) {
            // The header checks bound every read by the data length; this is a last guard against a missed case.
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read " + format.id() + " header: the data ends early", e);
        }
    }

    private RgbImage decodePixels(ImageHeader header) {
        ImageFormat format = header.format();
        ImageReader reader = ImageReaders.create(format);
        try (ImageInputStream in = new ByteArrayImageInputStream(header.decoderInput())) {
            // seekForwardOnly: frame 0 only, later frames are never scanned; ignoreMetadata: pixels only.
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt("cannot read " + format.id() + " header", e);
            }
            if (width != header.width() || height != header.height()) {
                // The decoder would allocate by its own reading of the header; it must be the one we checked.
                throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                        "%s header is inconsistent: %dx%d pixels by one reading, %dx%d by another",
                        format.id(), header.width(), header.height(), width, height));
            }
            // The JDK JPEG decoder pads a truncated stream with grey and only reports it as a warning.
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage image;
            try {
                image = reader.read(0, reader.getDefaultReadParam());
            } catch (IOException | RuntimeException e) {
                throw corrupt("cannot decode " + format.id() + " pixel data", e);
            }
            for (String warning : warnings) {
                if (isTruncationWarning(warning)) {
                    throw new ImageDecodeException(Reason.CORRUPT,
                            format.id() + " decoder reported incomplete data: " + warning);
                }
            }
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                        "%s header claims %dx%d pixels but %dx%d were decoded",
                        format.id(), width, height, image.getWidth(), image.getHeight()));
            }
            return RgbConverter.toRgb(image);
        } catch (IOException e) {
            // Only close() can get here, and closing an in-memory stream does not fail.
            throw new ImageDecodeException(Reason.CORRUPT, "cannot read image: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
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

    /** The first four bytes in hex: enough to recognise a format by eye, short enough not to be a dump. */
    private static String hexPrefix(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, data.length); i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", data[i] & 0xFF));
        }
        return sb.toString();
    }
}
