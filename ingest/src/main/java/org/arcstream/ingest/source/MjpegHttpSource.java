package org.arcstream.ingest.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP camera serving Motion JPEG as {@code multipart/x-mixed-replace}: each part is one JPEG,
 * passed on exactly as the camera encoded it (no decode, no re-encode). Parts are delimited by their
 * Content-Length when the camera sends one, else by the boundary line. A frame's capture time is
 * the moment its last byte arrived.
 */
final class MjpegHttpSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(MjpegHttpSource.class);
    /** No camera picture comes near this; a larger part means a broken stream, not a frame to buffer. */
    static final int MAX_PART_BYTES = 64 << 20;
    private static final int MAX_LINE = 8192;

    private final String location;
    private final InputStream body;
    private final byte[] delimiter;
    private final String boundaryLine;
    private final byte[] buf = new byte[64 * 1024];
    private int pos, limit;
    private boolean boundaryConsumed, finished;
    private long unreadable;

    private MjpegHttpSource(String location, InputStream body, String boundary) {
        this.location = location;
        this.body = body;
        this.boundaryLine = "--" + boundary;
        this.delimiter = ("\r\n" + boundaryLine).getBytes(StandardCharsets.ISO_8859_1);
    }

    static MjpegHttpSource open(String url, SourceOptions options) throws FrameSourceException, InterruptedException {
        String location = Locations.redact(url);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new FrameSourceException(location, "not a valid URL: " + e.getMessage());
        }
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(options.connectTimeout().plus(options.readTimeout())).GET().build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (HttpTimeoutException e) {
            throw new FrameSourceException(location, "no answer within " + request.timeout().orElseThrow().toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw new FrameSourceException(location, "cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (IOException e) {
            throw new FrameSourceException(location, "request failed: " + e, e);
        }
        TimedBodyStream body = new TimedBodyStream(options.readTimeout());
        response.body().subscribe(body);
        if (response.statusCode() != 200) {
            body.close();
            throw new FrameSourceException(location, "HTTP status " + response.statusCode());
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        Optional<String> boundary = boundary(contentType);
        if (boundary.isEmpty()) {
            body.close();
            throw new FrameSourceException(location, "not an MJPEG stream: Content-Type is '" + contentType
                    + "', expected multipart/x-mixed-replace with a boundary");
        }
        return new MjpegHttpSource(location, body, boundary.get());
    }

    static Optional<String> boundary(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).startsWith("multipart/x-mixed-replace")) {
            return Optional.empty();
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length()).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                // some cameras put the dashes of the boundary line into the parameter as well
                if (b.startsWith("--")) {
                    b = b.substring(2);
                }
                return b.isEmpty() ? Optional.empty() : Optional.of(b);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<SourceFrame> next() throws FrameSourceException, InterruptedException {
        try {
            while (!finished) {
                Optional<SourceFrame> frame = readPart();
                if (frame.isPresent()) {
                    return frame;
                }
            }
            return Optional.empty();
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while reading " + location);
            }
            throw new FrameSourceException(location, "stream stalled: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new FrameSourceException(location, "stream broken: " + e.getMessage(), e);
        }
    }

    /** One part: empty when it was skipped or the stream ended. */
    private Optional<SourceFrame> readPart() throws IOException {
        if (!boundaryConsumed) {
            String line;
            long skipped = 0;
            do {
                line = readLine();
                if (line == null) {
                    finished = true;
                    return Optional.empty();
                }
                skipped += line.length();
                if (skipped > MAX_PART_BYTES) {
                    throw new IOException("no boundary line '" + boundaryLine + "' in " + skipped + " bytes");
                }
            } while (!line.startsWith(boundaryLine));
            if (line.startsWith(boundaryLine + "--")) {
                finished = true;
                return Optional.empty();
            }
        }
        boundaryConsumed = false;
        String partType = null;
        long length = -1;
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-type")) {
                partType = value;
            } else if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("part Content-Length is not a number: '" + value + "'");
                }
            }
        }
        byte[] data;
        if (length >= 0) {
            if (length > MAX_PART_BYTES) {
                throw new IOException("part of " + length + " bytes exceeds " + MAX_PART_BYTES);
            }
            data = readExactly((int) length);
        } else {
            data = readUntilDelimiter();
            boundaryConsumed = true;
        }
        long arrived = System.currentTimeMillis();
        Optional<String> type = ImageFormat.contentType(data);
        if (type.isEmpty()) {
            unreadable++;
            LOG.warn("{}: skipped a part of {} bytes: {} (Content-Type {})", location, data.length, ImageFormat.rejection(data), partType);
            return Optional.empty();
        }
        return Optional.of(new SourceFrame(data, type.get(), arrived, location));
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = body.read(buf, 0, buf.length);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** A line without its CR LF, or null at the end of the stream. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!fill()) {
                return line.length() == 0 ? null : line.toString();
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) (b & 0xff));
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (!fill()) {
                throw new IOException("stream ended inside a part (" + done + " of " + n + " bytes)");
            }
            int k = Math.min(n - done, limit - pos);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    /** The bytes up to CR LF and the boundary line, which is consumed up to its own end of line. */
    private byte[] readUntilDelimiter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte last = delimiter[delimiter.length - 1];
        byte[] tail = new byte[delimiter.length];
        int count = 0;
        while (true) {
            if (!fill()) {
                throw new IOException("stream ended inside a part");
            }
            byte b = buf[pos++];
            out.write(b);
            tail[count++ % tail.length] = b;
            if (b == last && count >= delimiter.length && endsWithDelimiter(tail, count)) {
                String rest = readLine();
                if (rest != null && rest.startsWith("--")) {
                    finished = true;
                }
                byte[] all = out.toByteArray();
                return java.util.Arrays.copyOf(all, all.length - delimiter.length);
            }
            if (count > MAX_PART_BYTES) {
                throw new IOException("part longer than " + MAX_PART_BYTES + " bytes without a boundary");
            }
        }
    }

    private boolean endsWithDelimiter(byte[] ring, int count) {
        int n = delimiter.length;
        for (int i = 0; i < n; i++) {
            if (ring[(count - n + i) % n] != delimiter[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public long unreadable() {
        return unreadable;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is abandoned either way
        }
    }
}
