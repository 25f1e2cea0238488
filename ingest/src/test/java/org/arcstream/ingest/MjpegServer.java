package org.arcstream.ingest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** A Motion JPEG camera on 127.0.0.1: serves the given pictures once as multipart/x-mixed-replace, then ends the stream. */
public final class MjpegServer implements AutoCloseable {

    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    /**
     * @param withLength whether each part states its Content-Length (most cameras do; some only delimit by boundary)
     * @param stallAfter pictures served before the stream goes silent without ending; -1 never stalls
     */
    public MjpegServer(List<byte[]> pictures, boolean withLength, int stallAfter) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/video", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < pictures.size(); i++) {
                    if (i == stallAfter) {
                        out.flush();
                        release.await();
                        return;
                    }
                    byte[] picture = pictures.get(i);
                    String head = "--frame\r\nContent-Type: image/jpeg\r\n"
                            + (withLength ? "Content-Length: " + picture.length + "\r\n" : "") + "\r\n";
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(picture);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                out.write("--frame--\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client hung up: nothing left to serve
            }
        });
        server.createContext("/page", exchange -> {
            byte[] body = "<html>not a camera</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
