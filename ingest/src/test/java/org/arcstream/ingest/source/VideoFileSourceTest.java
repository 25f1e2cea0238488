package org.arcstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFileSourceTest {

    @TempDir
    Path dir;

    @Test
    void everyVideoFrameComesOutAsAJpegOfTheVideosSizeInOrder() throws Exception {
        List<Path> images = IngestTestData.lfwImages(3, 4);
        Path video = IngestTestData.video(dir.resolve("faces.mp4"), images);
        List<SourceFrame> frames = new ArrayList<>();
        try (FrameSource source = FrameSources.open(video.toString(), SourceOptions.defaults())) {
            assertFalse(source.live());
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames.add(f.get());
            }
        }
        assertEquals(images.size(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            SourceFrame frame = frames.get(i);
            assertEquals("image/jpeg", frame.contentType());
            assertEquals(video + "#frame " + i, frame.origin());
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(frame.data()));
            assertNotNull(picture, "frame " + i + " decodes");
            assertEquals(250, picture.getWidth());
            assertEquals(250, picture.getHeight());
        }
        // 10 frames per second: capture times step by the frame interval
        assertEquals(100, frames.get(1).captureTimeMillis() - frames.get(0).captureTimeMillis());
        assertEquals(100L * (frames.size() - 1), frames.get(frames.size() - 1).captureTimeMillis() - frames.get(0).captureTimeMillis());
    }

    @Test
    void aCorruptVideoIsAClearErrorNamingTheFile() throws Exception {
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        Path broken = Files.write(dir.resolve("broken.mp4"), noise);
        FrameSourceException e = assertThrows(FrameSourceException.class, () -> FrameSources.open(broken.toString(), SourceOptions.defaults()));
        assertTrue(e.getMessage().startsWith(broken + ": cannot open video"), e.getMessage());
    }
}
