package org.arcstream.embedder.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends a stream to a partial file and stops at the size limit, whatever length the sender announced. */
final class BoundedCopy {

    private BoundedCopy() {}

    /**
     * @param location for the refusal's reason
     * @return the partial file's length afterwards
     * @throws DownloadRefusedException as soon as the file would grow past {@code maxBytes}
     */
    static long append(InputStream in, Path partial, long maxBytes, String location) throws IOException {
        long size = Files.exists(partial) ? Files.size(partial) : 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (size + n > maxBytes) {
                    throw tooLarge(location, "more than " + maxBytes + " bytes arrived", maxBytes);
                }
                out.write(buffer, 0, n);
                size += n;
            }
        }
        return size;
    }

    static DownloadRefusedException tooLarge(String location, String what, long maxBytes) {
        return new DownloadRefusedException("model " + location + " is larger than the limit: " + what
                + " (embedder.models.download.max-bytes: " + maxBytes + ")");
    }
}
