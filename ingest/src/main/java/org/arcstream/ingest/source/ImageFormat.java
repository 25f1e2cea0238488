package org.arcstream.ingest.source;

import java.util.Optional;

/** Recognizes the image formats the {@code frames} topic carries by their leading bytes, whatever a file is named. */
final class ImageFormat {

    static final String JPEG = "image/jpeg";
    static final String PNG = "image/png";

    private ImageFormat() {}

    static Optional<String> contentType(byte[] data) {
        if (data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff) {
            return Optional.of(JPEG);
        }
        if (data.length >= 8 && (data[0] & 0xff) == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G'
                && data[4] == 0x0d && data[5] == 0x0a && data[6] == 0x1a && data[7] == 0x0a) {
            return Optional.of(PNG);
        }
        return Optional.empty();
    }
}
