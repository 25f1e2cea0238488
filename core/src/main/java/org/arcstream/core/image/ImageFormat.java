package org.arcstream.core.image;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Image formats told apart by {@link FormatSniffer}: the ones {@link ImageDecoder} decodes, and the ones it
 * recognises only to refuse them by name, so that a user learns "HEIC is not supported" instead of "not an image".
 */
public enum ImageFormat {

    JPEG("jpeg", "JPEG", "image/jpeg", true),
    PNG("png", "PNG", "image/png", true),
    WEBP("webp", "WebP", "image/webp", true),
    BMP("bmp", "BMP", "image/bmp", true),
    /** First frame only. */
    GIF("gif", "GIF", "image/gif", true),
    TIFF("tiff", "TIFF", "image/tiff", true),

    // Recognised from their bytes but not decoded: no maintained pure-Java decoder exists for these, or they are
    // not raster photos at all.
    HEIC("heic", "HEIC", "image/heic", false),
    HEIF("heif", "HEIF", "image/heif", false),
    AVIF("avif", "AVIF", "image/avif", false),
    JPEG_2000("jpeg2000", "JPEG 2000", "image/jp2", false),
    JPEG_XL("jxl", "JPEG XL", "image/jxl", false),
    PSD("psd", "Photoshop (PSD)", "image/vnd.adobe.photoshop", false),
    SVG("svg", "SVG", "image/svg+xml", false),
    ICO("ico", "ICO (Windows icon)", "image/vnd.microsoft.icon", false),
    PDF("pdf", "PDF", "application/pdf", false),
    MP4("mp4", "MP4/QuickTime video", "video/mp4", false);

    /** Names of the decodable formats, as in {@link ImageDecoder#ACCEPTED_FORMATS}. */
    static final Set<String> DECODABLE_NAMES = Arrays.stream(values())
            .filter(ImageFormat::decodable)
            .map(ImageFormat::id)
            .collect(Collectors.toUnmodifiableSet());

    private final String id;
    private final String displayName;
    private final String mimeType;
    private final boolean decodable;

    ImageFormat(String id, String displayName, String mimeType, boolean decodable) {
        this.id = id;
        this.displayName = displayName;
        this.mimeType = mimeType;
        this.decodable = decodable;
    }

    /** Short lower-case name, e.g. {@code jpeg}, {@code webp}. */
    public String id() {
        return id;
    }

    /** Name for messages, e.g. {@code JPEG 2000}. */
    public String displayName() {
        return displayName;
    }

    /** Media type, for a {@code content-type} header. */
    public String mimeType() {
        return mimeType;
    }

    /** Whether {@link ImageDecoder} decodes this format. */
    public boolean decodable() {
        return decodable;
    }

    /** The message a refused format is rejected with: names the format and says what to do instead. */
    public String refusal() {
        return switch (this) {
            case PDF -> "PDF documents are not supported; export the page as a JPEG or PNG image";
            case MP4 -> "MP4/QuickTime videos are not supported here; send single frames as JPEG or PNG";
            default -> displayName + " images are not supported; convert to JPEG or PNG";
        };
    }

    /** The accepted formats for messages, e.g. {@code JPEG, PNG, WebP, BMP, GIF, TIFF}. */
    public static String acceptedList() {
        return Arrays.stream(values()).filter(ImageFormat::decodable).map(ImageFormat::displayName)
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
