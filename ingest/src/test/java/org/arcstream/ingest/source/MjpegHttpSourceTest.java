package org.arcstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arcstream.ingest.IngestTestData;
import org.arcstream.ingest.MjpegServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MjpegHttpSourceTest {

    private static final SourceOptions FAST = SourceOptions.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500));

    private static List<byte[]> pictures(int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (Path p : IngestTestData.lfwImages(n, 1)) {
            out.add(Files.readAllBytes(p));
        }
        return out;
    }

    @ParameterizedTest(name = "parts with Content-Length: {0}")
    @ValueSource(booleans = {true, false})
    void eachPartIsOneFrameWithTheCamerasOwnBytes(boolean withLength) throws Exception {
        List<byte[]> pictures = pictures(5);
        try (MjpegServer camera = new MjpegServer(pictures, withLength, -1);
                FrameSource source = FrameSources.open(camera.url("/video"), FAST)) {
            assertTrue(source.live());
            List<SourceFrame> frames = new ArrayList<>();
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames.add(f.get());
            }
            assertEquals(pictures.size(), frames.size());
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(pictures.get(i), frames.get(i).data(), "part " + i);
                assertEquals("image/jpeg", frames.get(i).contentType());
                assertEquals(camera.url("/video"), frames.get(i).origin());
            }
        }
    }

    @Test
    void anUnreachableCameraIsAClearErrorNamingItWithoutItsPassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://admin:secret@127.0.0.1:" + port + "/video";
        FrameSourceException e = assertThrows(FrameSourceException.class, () -> FrameSources.open(url, FAST));
        assertTrue(e.getMessage().startsWith("http://127.0.0.1:" + port + "/video: cannot connect"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void aPageThatIsNoMjpegStreamIsRefused() throws Exception {
        try (MjpegServer camera = new MjpegServer(List.of(), true, -1)) {
            FrameSourceException e = assertThrows(FrameSourceException.class, () -> FrameSources.open(camera.url("/page"), FAST));
            assertTrue(e.getMessage().contains("not an MJPEG stream: Content-Type is 'text/html'"), e.getMessage());
            e = assertThrows(FrameSourceException.class, () -> FrameSources.open(camera.url("/missing"), FAST));
            assertTrue(e.getMessage().endsWith("HTTP status 404"), e.getMessage());
        }
    }

    @Test
    void aStalledStreamFailsAfterTheReadTimeoutInsteadOfHanging() throws Exception {
        List<byte[]> pictures = pictures(3);
        try (MjpegServer camera = new MjpegServer(pictures, true, 2);
                FrameSource source = FrameSources.open(camera.url("/video"), FAST)) {
            assertTrue(source.next().isPresent());
            assertTrue(source.next().isPresent());
            FrameSourceException e = assertThrows(FrameSourceException.class, source::next);
            assertTrue(e.getMessage().contains("no data for 500 ms"), e.getMessage());
        }
    }

    @Test
    void boundaryParameterVariants() {
        assertEquals(Optional.of("frame"), MjpegHttpSource.boundary("multipart/x-mixed-replace; boundary=frame"));
        assertEquals(Optional.of("frame"), MjpegHttpSource.boundary("multipart/x-mixed-replace;boundary=\"--frame\""));
        assertEquals(Optional.empty(), MjpegHttpSource.boundary("multipart/x-mixed-replace"));
        assertEquals(Optional.empty(), MjpegHttpSource.boundary("image/jpeg"));
    }
}
