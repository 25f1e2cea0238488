package org.arcstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RtspSourceTest {

    @Test
    void anUnreachableRtspCameraIsAClearErrorNamingItWithoutItsPassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "rtsp://admin:secret@127.0.0.1:" + port + "/stream1";
        FrameSourceException e = assertThrows(FrameSourceException.class, () -> FrameSources.open(url,
                SourceOptions.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))));
        assertTrue(e.getMessage().startsWith("rtsp://127.0.0.1:" + port + "/stream1: cannot open stream"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }
}
