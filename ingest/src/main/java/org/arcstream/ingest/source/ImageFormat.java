package org.arcstream.ingest.source;

import java.util.Optional;
import org.arcstream.core.image.FormatSniffer;

/**
 * The content type of an image for the {@code frames} topic, from its leading bytes whatever a file is named.
 * Recognition is the core decoder's own ({@link FormatSniffer}), so ingest sends exactly the formats the
 * embedder decodes: JPEG, PNG, WebP, BMP, GIF and TIFF.
 */
final class ImageFormat {

    static final String JPEG = "image/jpeg";
    static final String PNG = "image/png";

    private ImageFormat() {}

    /** The media type when the data is in a format the embedder decodes, else empty. */
    static Optional<String> contentType(byte[] data) {
        return FormatSniffer.sniff(data)
                .filter(org.arcstream.core.image.ImageFormat::decodable)
                .map(org.arcstream.core.image.ImageFormat::mimeType);
    }

    /** Why data is not sent: names a format that is recognised but not decoded (HEIC, AVIF, ...). */
    static String rejection(byte[] data) {
        return FormatSniffer.sniff(data)
                .filter(f -> !f.decodable())
                .map(org.arcstream.core.image.ImageFormat::refusal)
                .orElse("not an image in an accepted format (" + org.arcstream.core.image.ImageFormat.acceptedList() + ")");
    }
}
