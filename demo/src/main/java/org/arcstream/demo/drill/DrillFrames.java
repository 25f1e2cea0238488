package org.arcstream.demo.drill;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.arcstream.core.image.ImageFiles;

/**
 * The frames of one drill, as a folder that ingest's file source reads in name order: {@code count}
 * images of the source, and optionally large face-less JPEGs in between. A file's index in the folder is
 * the sequence number ingest gives its frame.
 */
final class DrillFrames {

    /** APPn segments hold at most 65,533 bytes of data. */
    private static final int MAX_SEGMENT_DATA = 65_533;

    private DrillFrames() {}

    /**
     * Writes the frames to {@code dir}: {@code count} images of {@code source}, cycled, with the large frames at
     * their sequence numbers (keys of {@code largeBySequence}, values their sizes in bytes).
     */
    static void write(Path source, Path dir, int count, Map<Integer, Integer> largeBySequence) throws IOException {
        Files.createDirectories(dir);
        List<Path> images;
        try (Stream<Path> walk = Files.walk(source)) {
            images = walk.filter(Files::isRegularFile).filter(ImageFiles::looksLikeImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("--source " + source + ": no images");
        }
        int next = 0;
        for (int sequence = 0; sequence < count + largeBySequence.size(); sequence++) {
            Integer large = largeBySequence.get(sequence);
            if (large != null) {
                Files.write(dir.resolve(String.format("%05d.jpg", sequence)), faceLessJpeg(large));
            } else {
                Path image = images.get(next++ % images.size());
                String name = image.getFileName().toString();
                Files.copy(image, dir.resolve(String.format("%05d%s", sequence, name.substring(name.lastIndexOf('.')))));
            }
        }
    }

    /**
     * A valid JPEG of {@code bytes} bytes (give or take a segment header) with no face: a plain grey picture
     * whose size is made up by application segments, which decoders skip, so that its size costs no pixels.
     */
    static byte[] faceLessJpeg(int bytes) {
        BufferedImage picture = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
        g.dispose();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "jpg", plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jpeg = plain.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + MAX_SEGMENT_DATA);
        out.write(jpeg, 0, 2); // SOI
        Random random = new Random(bytes);
        int padding = Math.max(0, bytes - jpeg.length);
        while (padding > 4) {
            int data = Math.min(MAX_SEGMENT_DATA, padding - 4);
            byte[] payload = new byte[data];
            random.nextBytes(payload);
            // APP15: no reader gives it a meaning
            out.write(0xFF);
            out.write(0xEF);
            out.write((data + 2) >> 8);
            out.write((data + 2) & 0xFF);
            out.write(payload, 0, data);
            padding -= data + 4;
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
