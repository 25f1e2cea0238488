package org.arcstream.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins must work when an application is repackaged as one shaded jar whose {@code META-INF/services}
 * files were not merged (so ImageIO's own plugin scan finds nothing), and when many threads decode at once
 * on first use. Checked in a separate JVM whose classpath is the project's classes plus the TwelveMonkeys
 * classes unpacked without their service files.
 */
class FlatClasspathTest {

    @TempDir
    Path tmp;

    @Test
    void decodesWebpTiffAndJpegWithoutServiceFilesFromManyThreadsAtOnce() throws Exception {
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        List<String> classpath = new ArrayList<>();
        classpath.add(flat.toString());
        int unpacked = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && (name.startsWith("imageio-") || name.startsWith("common-"))
                    && entry.contains("twelvemonkeys")) {
                unpackWithoutServices(Path.of(entry), flat);
                unpacked++;
            } else if (!name.endsWith(".jar")) {
                classpath.add(entry); // the project's own classes and test classes
            }
        }
        assertTrue(unpacked >= 5, "TwelveMonkeys jars found on the test classpath: " + unpacked);
        Path webp = tmp.resolve("a.webp");
        Files.write(webp, ImageAssertions.resource("webp/texture-lossless.webp"));

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", String.join(File.pathSeparator, classpath), Child.class.getName(), webp.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("no webp reader registered before first use"), output);
        assertTrue(output.contains("decoded 64 images"), output);
        assertTrue(output.contains("JPEG reader com.twelvemonkeys."), output);
    }

    private static void unpackWithoutServices(Path jar, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
                    continue;
                }
                Path target = into.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(into));
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Runs in the child JVM: 16 threads decode WebP, TIFF and JPEG at the same moment, on first use. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (ImageIO.getImageReadersByFormatName("webp").hasNext()) {
                throw new AssertionError("a WebP reader was found through service files; the test setup is wrong");
            }
            System.out.println("no webp reader registered before first use");
            byte[] webp = Files.readAllBytes(Path.of(args[0]));
            byte[] tiff = TiffBuilder.rgb(TestImages.texture(40, 30, 90)).build();
            byte[] jpeg = ImageOps.encodeJpeg(TestImages.texture(40, 30, 90), 0.9f);
            ImageDecoder decoder = new ImageDecoder();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RgbImage>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] data = i % 3 == 0 ? webp : i % 3 == 1 ? tiff : jpeg;
                results.add(pool.submit(() -> {
                    start.await();
                    return decoder.decode(data);
                }));
            }
            start.countDown();
            RgbImage[] expected = {TestImages.texture(64, 48, 21), TestImages.texture(40, 30, 90), results.get(2).get()};
            for (int i = 0; i < results.size(); i++) {
                RgbImage image = results.get(i).get(1, TimeUnit.MINUTES);
                if (!java.util.Arrays.equals(expected[i % 3].pixels(), image.pixels())) {
                    throw new AssertionError("image " + i + " decoded differently");
                }
            }
            pool.shutdown();
            System.out.println("decoded " + results.size() + " images");
            System.out.println("JPEG reader " + ImageReaders.readerClass(ImageFormat.JPEG));
        }
    }
}
