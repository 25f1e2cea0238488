package org.arcstream.embedder.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        socket = new Socket(server.getHost(), server.getPort());
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        out.write(("POST /admin/identities HTTP/1.1\r\nHost: " + server.getHost() + "\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    StreamingUpload field(String name, String value) throws IOException {
        return chunk(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    StreamingUpload image(String filename, byte[] bytes) throws IOException {
        imageStart(filename);
        chunk(bytes);
        return chunk("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The headers of an image part, its bytes to follow. */
    StreamingUpload imageStart(String filename) throws IOException {
        return chunk(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
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
