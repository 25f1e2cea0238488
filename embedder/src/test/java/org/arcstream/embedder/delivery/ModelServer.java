package org.arcstream.embedder.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model file over real HTTP on 127.0.0.1, served as the trainer serves it (HTTP Basic, Range, ETag, Repr-Digest),
 * with faults to order: the next answers cut after some bytes, or answered with a status, or sent without a length.
 */
final class ModelServer implements AutoCloseable {

    static final String USER = "model-reader";
    static final String PASSWORD = "reader-test-password";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the server saw it. */
    record Seen(String range, String ifRange, String authorization) {}

    private final HttpServer server;
    private final byte[] file;
    private final String sha256Base64;
    private final List<Seen> requests = new ArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();
    volatile long cutAfter = -1;
    final AtomicInteger statusTimes = new AtomicInteger();
    volatile int status;
    volatile boolean chunked;
    volatile String location;

    private ModelServer(byte[] file, byte[] sha256) throws IOException {
        this.file = file;
        this.sha256Base64 = Base64.getEncoder().encodeToString(sha256);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/", this::handle);
    }

    static ModelServer start(byte[] file, byte[] sha256) throws IOException {
        ModelServer s = new ModelServer(file, sha256);
        s.server.start();
        return s;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    synchronized List<Seen> requests() {
        return List.copyOf(requests);
    }

    long bytesSent() {
        return bytesSent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String range = exchange.getRequestHeaders().getFirst("Range");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (this) {
                requests.add(new Seen(range, exchange.getRequestHeaders().getFirst("If-Range"), auth));
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (statusTimes.getAndDecrement() > 0) {
                if (location != null) {
                    exchange.getResponseHeaders().set("Location", location);
                }
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            String etag = "\"" + sha256Base64 + "\"";
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
            exchange.getResponseHeaders().set("Repr-Digest", "sha-256=:" + sha256Base64 + ":");
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            if (m != null && m.matches() && (ifRange == null || ifRange.equals(etag))) {
                from = Integer.parseInt(m.group(1));
                exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
                exchange.sendResponseHeaders(206, file.length - from);
            } else {
                exchange.sendResponseHeaders(200, chunked ? 0 : file.length);
            }
            long cut = cutAfter;
            cutAfter = -1;
            int end = cut >= 0 ? (int) Math.min(file.length, from + cut) : file.length;
            OutputStream out = exchange.getResponseBody();
            out.write(file, from, end - from);
            out.flush();
            bytesSent.addAndGet(end - from);
            if (end < file.length) {
                // a connection broken mid-file: the client has fewer bytes than the announced length
                throw new IOException("cut on purpose");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
