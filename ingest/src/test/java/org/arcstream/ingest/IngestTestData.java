package org.arcstream.ingest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** The LFW sample beside the checkout, and test inputs made from it. */
public final class IngestTestData {

    private IngestTestData() {}

    /** 10 identities x 10 images: system property {@code arcstream.shared.dir}, else ../shared; the test is skipped where it is absent. */
    public static Path lfw10() {
        String configured = System.getProperty("arcstream.shared.dir");
        Path dir = (configured != null ? Path.of(configured) : Path.of("../../shared")).resolve("data/lfw10").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        return dir;
    }

    /** The first {@code perIdentity} images of the first {@code identities} identities, in path order. */
    public static List<Path> lfwImages(int identities, int perIdentity) {
        try (Stream<Path> dirs = Files.list(lfw10())) {
            List<Path> out = new ArrayList<>();
            for (Path dir : dirs.filter(Files::isDirectory).sorted().limit(identities).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(perIdentity).forEach(out::add);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An MPEG-4 video at 10 frames per second with one frame per image (all images must share one size). */
    public static Path video(Path file, List<Path> images) throws IOException {
        BufferedImage first = ImageIO.read(images.get(0).toFile());
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), first.getWidth(), first.getHeight());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(10);
            recorder.setVideoQuality(2);
            recorder.start();
            for (Path image : images) {
                recorder.record(converter.convert(ImageIO.read(image.toFile())));
            }
            recorder.stop();
        }
        return file;
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
