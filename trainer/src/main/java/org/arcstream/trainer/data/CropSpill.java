package org.arcstream.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.CropPng;

/**
 * A run's training crops on disk instead of in the heap: stored crops (PNG, as the enrollment topic keeps
 * them) are appended to one file and read back, by position, whenever a crop is used. The file holds
 * faces, some of people deleted while the run read the topic: closing the spill deletes it.
 */
public final class CropSpill implements AutoCloseable {

    /** The spill's name in a run folder. */
    public static final String FILE_NAME = "enrollment-crops.spill";

    private final Path file;
    private final FileChannel channel;
    private long end;

    private CropSpill(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** A new, empty spill file (an existing one, left by a run that was stopped, is replaced). */
    public static CropSpill create(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return new CropSpill(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the crop spill file " + file, e);
        }
    }

    /**
     * Deletes the spill files that runs stopped by a killed process left in their folders under {@code runsDir}:
     * they hold faces, possibly of people deleted since. Returns the files deleted.
     */
    public static List<Path> removeLeftovers(Path runsDir) {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> runs = Files.list(runsDir)) {
            for (Path run : (Iterable<Path>) runs::iterator) {
                Path spill = run.resolve(FILE_NAME);
                if (Files.deleteIfExists(spill)) {
                    removed.add(spill);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove left-over crop spill files under " + runsDir, e);
        }
        return removed;
    }

    /**
     * Appends a crop PNG already checked to decode at {@code size}x{@code size}; the crop reads it back from here.
     *
     * @param camera the camera that filmed the face; null when unknown (an enrollment sample)
     */
    LabeledCrop append(String identity, String source, byte[] png, int size, String camera) {
        long at = end;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(png);
            while (buffer.hasRemaining()) {
                channel.write(buffer, at + buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the crop spill file " + file, e);
        }
        end += png.length;
        int length = png.length;
        return LabeledCrop.stored(identity, source, size, size, () -> read(at, length, size), camera);
    }

    /** Bytes the spill file holds. */
    public long bytes() {
        return end;
    }

    private RgbImage read(long at, int length, int size) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new IOException("the file ends before the crop does");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the crop spill file " + file, e);
        }
        return CropPng.decode(buffer.array(), size);
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the crop spill file " + file, e);
        }
    }
}
