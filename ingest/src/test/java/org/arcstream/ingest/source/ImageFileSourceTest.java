package org.arcstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileSourceTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryYieldsItsImagesRecursivelyInPathOrderWithTheirPathsAsOrigin() throws Exception {
        List<Path> lfw = IngestTestData.lfwImages(2, 3);
        List<Path> expected = new ArrayList<>();
        for (Path image : lfw) {
            Path copy = dir.resolve(image.getParent().getFileName().toString()).resolve(image.getFileName().toString());
            Files.createDirectories(copy.getParent());
            Files.copy(image, copy);
            expected.add(copy);
        }
        Path png = dir.resolve("zz-extra/frame.png");
        Files.createDirectories(png.getParent());
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        expected.add(png);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        // named like an image but is not one: skipped, the others still come
        Files.writeString(dir.resolve(expected.get(0).getParent().getFileName().toString()).resolve("broken.jpg"), "garbage");

        List<SourceFrame> frames = new ArrayList<>();
        try (FrameSource source = FrameSources.open(dir.toString(), SourceOptions.defaults())) {
            assertFalse(source.live());
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames.add(f.get());
            }
            assertEquals(1, source.unreadable(), "broken.jpg is counted as unreadable; notes.txt is no image file at all");
        }
        assertEquals(expected.stream().map(Path::toString).sorted().toList(), frames.stream().map(SourceFrame::origin).toList());
        for (SourceFrame frame : frames) {
            Path file = Path.of(frame.origin());
            assertArrayEquals(Files.readAllBytes(file), frame.data(), "bytes are sent as they are");
            assertEquals(file.toString().endsWith(".png") ? "image/png" : "image/jpeg", frame.contentType());
        }
    }

    @Test
    void aSingleImageFileIsOneFrame() throws Exception {
        Path image = IngestTestData.lfwImages(1, 1).get(0);
        try (FrameSource source = FrameSources.open(image.toString(), SourceOptions.defaults())) {
            SourceFrame frame = source.next().orElseThrow();
            assertEquals(image.toString(), frame.origin());
            assertArrayEquals(Files.readAllBytes(image), frame.data());
            assertTrue(source.next().isEmpty());
        }
    }

    @Test
    void theContentTypeComesFromTheBytesForEveryAcceptedFormat() throws Exception {
        // only the leading bytes matter here: ingest sends files as they are, the embedder decodes them
        byte[] webp = {'R', 'I', 'F', 'F', 30, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 10, 0, 0, 0, 0x2F, 0, 0, 0, 0};
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0};
        byte[] gif = "GIF89a\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.Map<String, byte[]> files = java.util.Map.of("a.png", webp, "b.tif", tiff, "c.gif", gif);
        java.util.Map<String, String> expected = java.util.Map.of("a.png", "image/webp", "b.tif", "image/tiff", "c.gif", "image/gif");
        for (var file : files.entrySet()) {
            Path path = Files.write(dir.resolve(file.getKey()), file.getValue());
            try (FrameSource source = FrameSources.open(path.toString(), SourceOptions.defaults())) {
                assertEquals(expected.get(file.getKey()), source.next().orElseThrow().contentType(), file.getKey());
            }
        }
    }

    @Test
    void missingEmptyAndFakeSourcesAreClearErrorsNamingThem() throws Exception {
        Path missing = dir.resolve("nowhere");
        FrameSourceException e = assertThrows(FrameSourceException.class, () -> FrameSources.open(missing.toString(), SourceOptions.defaults()));
        assertEquals(missing + ": no such file or directory", e.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(FrameSourceException.class, () -> FrameSources.open(empty.toString(), SourceOptions.defaults()));
        assertTrue(e.getMessage().startsWith(empty + ": no image files (.jpg"), e.getMessage());

        Path fake = Files.writeString(dir.resolve("fake.jpg"), "<html>");
        e = assertThrows(FrameSourceException.class, () -> FrameSources.open(fake.toString(), SourceOptions.defaults()));
        assertTrue(e.getMessage().startsWith(fake + ": not an image in an accepted format (JPEG, PNG, WebP"), e.getMessage());

        Path heic = Files.write(dir.resolve("phone.jpg"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c',
                0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'});
        e = assertThrows(FrameSourceException.class, () -> FrameSources.open(heic.toString(), SourceOptions.defaults()));
        assertEquals(heic + ": HEIC images are not supported; convert to JPEG or PNG (24 bytes)", e.getMessage());

        e = assertThrows(FrameSourceException.class, () -> FrameSources.open("ftp://cam/stream", SourceOptions.defaults()));
        assertTrue(e.getMessage().contains("unsupported scheme"), e.getMessage());
    }
}
