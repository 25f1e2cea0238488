package org.arcstream.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.image.ImageDecoder;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFoldersTest {

    @Test
    void onlyHiddenFilesAndClearNonImagesAreLeftOutByName() {
        for (String name : List.of("README.md", "notes.txt", "pairs.csv", ".DS_Store", ".hidden.jpg", "Thumbs.db", "model.onnx")) {
            assertTrue(ImageFolders.isClearlyNotAnImage(Path.of("g", name)), name);
        }
        for (String name : List.of("a.jpg", "b.JPEG", "c.png", "d.webp", "e.tif", "f.heic", "g.bmp", "scan", "photo.jpg.part")) {
            assertFalse(ImageFolders.isClearlyNotAnImage(Path.of("g", name)), name);
        }
    }

    @Test
    void aGalleryScanKeepsEveryCandidateImageSoThatTheDecoderDecides(@TempDir Path gallery) throws Exception {
        Path alice = Files.createDirectories(gallery.resolve("alice"));
        Files.write(alice.resolve("a.jpg"), new byte[] {1});
        Files.write(alice.resolve("b.webp"), new byte[] {2});
        Files.writeString(alice.resolve("README.md"), "about alice");
        Files.writeString(alice.resolve(".thumbnail.jpg"), "hidden");
        Files.createDirectories(alice.resolve(".cache")).resolve("c.jpg").toFile().createNewFile();
        Files.createDirectories(gallery.resolve(".git"));
        Files.writeString(gallery.resolve("README.md"), "a gallery");
        List<Enroller.GalleryImage> images = Enroller.scan(gallery);
        assertEquals(List.of(alice.resolve("a.jpg"), alice.resolve("b.webp")), images.stream().map(Enroller.GalleryImage::file).toList());
    }

    @Test
    void anUndecodableFileIsNamedWithTheDecodersReason(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.png");
        Files.write(good, ImageOps.encodePng(new RgbImage(40, 40, new byte[3 * 40 * 40])));
        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        ImageDecoder decoder = new ImageDecoder();
        assertEquals(40, ImageFolders.read(decoder, good).width());
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> ImageFolders.read(decoder, empty));
        assertEquals(empty.toString(), e.image().file());
        assertTrue(e.image().reason().contains("empty"), e.image().reason());
        assertEquals(empty + ": " + e.image().reason(), e.getMessage());
        UnreadableImageException missing = assertThrows(UnreadableImageException.class, () -> ImageFolders.read(decoder, dir.resolve("gone.jpg")));
        assertEquals("file not found", missing.image().reason());
    }
}
