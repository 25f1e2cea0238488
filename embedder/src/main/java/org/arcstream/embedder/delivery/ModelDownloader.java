package org.arcstream.embedder.delivery;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.arcstream.core.files.AtomicFiles;
import org.arcstream.core.model.Sha256;
import org.arcstream.embedder.delivery.ModelLocation.InAllowedBucket;
import org.arcstream.embedder.delivery.ModelLocation.InTrustedDir;
import org.arcstream.embedder.delivery.ModelLocation.OnAllowedHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Fetches a published model file into place, verified: the location must be admitted by the allow-lists
 * ({@link DownloadSettings}), the file is read into a hidden partial file next to the target within the size
 * limit (remote ones in attempts that resume where the last stopped, with backoff), its sha256 must be the
 * announced one, and only then is it moved into place atomically. Anything else is a
 * {@link DownloadRefusedException} with the reason, and nothing is left at the target.
 * Clients are made at the first download that needs them, not here. Thread-safe.
 */
public final class ModelDownloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDownloader.class);

    private final DownloadSettings settings;
    private HttpClient http;
    private S3Client s3;

    public ModelDownloader(DownloadSettings settings) {
        this.settings = settings;
    }

    public DownloadSettings settings() {
        return settings;
    }

    /**
     * @param target where the verified file goes; replaced atomically, left as it is when it already has that sha256
     * @throws DownloadRefusedException with the reason when the file cannot be had as announced
     */
    public void download(String location, String sha256, Path target) {
        ModelLocation admitted = ModelLocation.admit(location, settings);
        if (Files.isRegularFile(target) && Sha256.hex(target).equals(sha256)) {
            return;
        }
        Path partial = target.resolveSibling("." + target.getFileName() + "." + System.nanoTime() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            if (admitted instanceof InTrustedDir file) {
                copy(file.file(), partial, location);
            } else if (admitted instanceof OnAllowedHost url) {
                withRetries(new HttpDownload(http(), url.url(), sha256, settings), partial, location);
            } else {
                withRetries(new S3Download(s3(), (InAllowedBucket) admitted, settings.maxBytes()), partial, location);
            }
            // the copy is what gets loaded, so the copy is what is checked
            String actual = Sha256.hex(partial);
            if (!actual.equals(sha256)) {
                throw new DownloadRefusedException("sha256 mismatch: " + location + " has sha256 " + actual + ", the event announced "
                        + sha256 + " (corrupt or replaced file)");
            }
            AtomicFiles.moveIntoPlace(partial, target);
        } catch (IOException | UncheckedIOException e) {
            throw new DownloadRefusedException("cannot fetch " + location + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover starts with a dot and is never loaded
            }
        }
    }

    private void copy(Path file, Path partial, String location) throws IOException {
        long size = Files.size(file);
        if (size > settings.maxBytes()) {
            throw BoundedCopy.tooLarge(location, "the file has " + size + " bytes", settings.maxBytes());
        }
        try (var in = Files.newInputStream(file)) {
            BoundedCopy.append(in, partial, settings.maxBytes(), location);
        }
    }

    private void withRetries(ResumableSource source, Path partial, String location) throws IOException {
        RetryPolicy<Object> policy = RetryPolicy.builder()
                .handle(IOException.class)
                .withMaxAttempts(settings.attempts())
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .onRetry(e -> LOG.warn("model download from {} broke off (attempt {} of {}): {}; resuming", location, e.getAttemptCount(),
                        settings.attempts(), e.getLastException().getMessage()))
                .build();
        try {
            Failsafe.with(policy).run(() -> source.attempt(partial));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IOException("gave up after " + settings.attempts() + " attempts: " + io.getMessage(), io);
            }
            throw e;
        }
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpDownload.newClient(settings);
        }
        return http;
    }

    private synchronized S3Client s3() {
        if (s3 == null) {
            s3 = S3Download.newClient(settings.s3(), settings);
        }
        return s3;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
        // the JDK's HttpClient needs no closing on Java 17 (AutoCloseable from 21); its threads end when it is unreachable
    }
}
