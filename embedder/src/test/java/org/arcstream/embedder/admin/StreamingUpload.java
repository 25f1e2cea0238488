package org.arcstream.embedder.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A multipart enrollment sent over a plain socket part by part (chunked), so that a test can stop sending
 * before the body ends and see whether the server answers anyway: a server that waited for the whole body
 * would never answer, and {@link #response()} would fail with a read timeout.
 */
final class StreamingUpload implements AutoCloseable {

    private static final String BOUNDARY = "arcstream-test-boundary";
    private final Socket socket;
    private final OutputStream out;

    StreamingUpload(URL server, String user, String password) throws IOException {
        this(server, user, password, "Transfer-Encoding: chunked");
    }

    /** A body of {@code contentLength} bytes, declared up front and sent with {@link #raw}. */
    StreamingUpload(URL server, String user, String password, long contentLength) throws IOException {
        this(server, user, password, "Content-Length: " + contentLength);
    }

    private StreamingUpload(URL server, String user, String password, String lengthHeader) throws IOException {
        socket = new Socket(server.getHost(), server.getPort());
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        out.write(("POST /admin/identities HTTP/1.1\r\nHost: " + server.getHost() + "\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n" + lengthHeader + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A whole multipart body with the fields and images given, for {@link #raw}. */
    static byte[] form(Map<String, String> fields, Map<String, byte[]> images) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(fieldPart(name, value)));
        images.forEach((filename, bytes) -> {
            body.writeBytes(imageHeaders(filename));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /** Sends {@code body[from, to)} as it is: the body of a request with a declared length. */
    StreamingUpload raw(byte[] body, int from, int to) throws IOException {
        out.write(body, from, to - from);
        out.flush();
        return this;
    }

    StreamingUpload field(String name, String value) throws IOException {
        return chunk(fieldPart(name, value));
    }

    private static byte[] fieldPart(String name, String value) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    StreamingUpload image(String filename, byte[] bytes) throws IOException {
        imageStart(filename);
        chunk(bytes);
        return chunk("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The headers of an image part, its bytes to follow. */
    StreamingUpload imageStart(String filename) throws IOException {
        return chunk(imageHeaders(filename));
    }

    private static byte[] imageHeaders(String filename) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Sends bytes as one chunk. */
    StreamingUpload chunk(byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    /** Ends the body. */
    StreamingUpload end() throws IOException {
        chunk(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    /** The status line and what follows, as far as the server sent it before closing or pausing. */
    String response() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n = in.read(buffer); // blocks until the server answers (or the read times out)
        while (n > 0) {
            got.write(buffer, 0, n);
            if (in.available() == 0) {
                break;
            }
            n = in.read(buffer);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** The response if the server has begun to send one, else null at once. */
    String responseIfAny() throws IOException {
        socket.setSoTimeout(100);
        try {
            return response();
        } catch (java.net.SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(60_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
