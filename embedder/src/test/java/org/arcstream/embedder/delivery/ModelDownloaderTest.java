package org.arcstream.embedder.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arcstream.core.files.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Model downloads against real servers on 127.0.0.1: an HTTP server that serves a file as the trainer does and
 * breaks off on request, and S3Proxy (a real S3-compatible server) on a temporary folder. Each refusal names its
 * reason and leaves nothing at the target.
 */
class ModelDownloaderTest {

    private static final int SIZE = 3 * 1024 * 1024 + 17;

    private Path work;
    private byte[] file;
    private String sha;
    private ModelServer server;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createTempDirectory("model-downloads");
        file = new byte[SIZE];
        new Random(5).nextBytes(file);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(file);
        sha = HexFormat.of().formatHex(digest);
        server = ModelServer.start(file, digest);
    }

    @AfterEach
    void tearDown() {
        server.close();
        FileTrees.delete(work);
    }

    private DownloadSettings http() {
        return DownloadSettings.defaults().withHttp(Set.of(server.url("/")), new BasicCredentials(ModelServer.USER, ModelServer.PASSWORD));
    }

    private Path target() {
        return work.resolve("cache").resolve("v.onnx");
    }

    @Test
    void aDownloadCutMidFileIsResumedWithARangeRequestOnTheSameFile() throws IOException {
        server.cutAfter = 1024 * 1024;
        new ModelDownloader(http()).download(server.url("/models/v.onnx"), sha, target());

        assertArrayEquals(file, Files.readAllBytes(target()));
        List<ModelServer.Seen> seen = server.requests();
        assertEquals(2, seen.size(), "one cut, one resume: " + seen);
        assertNull(seen.get(0).range());
        // where the first answer broke off for the client: the JDK client drops the bytes it had buffered but not yet
        // handed over when it sees the broken connection, so this is at most the cut, as the machine's load has it
        Matcher range = Pattern.compile("bytes=(\\d+)-").matcher(String.valueOf(seen.get(1).range()));
        assertTrue(range.matches(), "the second request asks for the rest: " + seen.get(1));
        long resumedAt = Long.parseLong(range.group(1));
        assertTrue(resumedAt > 0 && resumedAt <= 1024 * 1024, "it continues where the first broke off: " + seen.get(1));
        assertTrue(seen.get(1).ifRange() != null && seen.get(1).ifRange().startsWith("\""), "only if it is still the same file: " + seen.get(1));
        assertEquals(SIZE + (1024 * 1024 - resumedAt), server.bytesSent(), "only the bytes the client did not keep were sent again");
        assertNoPartialFiles();
    }

    @Test
    void aServerErrorIsRetriedAndCredentialsAreSent() throws IOException {
        server.status = 503;
        server.statusTimes.set(2);
        new ModelDownloader(http()).download(server.url("/models/v.onnx"), sha, target());
        assertArrayEquals(file, Files.readAllBytes(target()));
        assertEquals(3, server.requests().size());
        assertTrue(server.requests().stream().allMatch(s -> s.authorization() != null && s.authorization().startsWith("Basic ")));
    }

    @Test
    void aFileWhoseSha256IsNotTheAnnouncedOneIsRefused() throws IOException {
        String other = sha.substring(0, 63) + (sha.endsWith("0") ? "1" : "0");
        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(http()).download(server.url("/models/v.onnx"), other, target()));
        // the server's Repr-Digest already tells; the copy's own digest is checked too (ModelHotSwapTest, a file changed in the store)
        assertTrue(e.getMessage().startsWith("sha256 mismatch") && e.getMessage().contains("is served with sha256 " + sha), e.getMessage());
        assertFalse(Files.exists(target()));
        assertNoPartialFiles();
    }

    @Test
    void aFileAnnouncedLargerThanTheLimitIsRefusedBeforeItsBodyIsRead() {
        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(http().withMaxBytes(SIZE - 1)).download(server.url("/models/v.onnx"), sha, target()));
        assertTrue(e.getMessage().contains("the server announces " + SIZE + " bytes"), e.getMessage());
        assertFalse(Files.exists(target()));
    }

    @Test
    void aFileSentWithoutLengthIsCutOffAtTheLimit() throws IOException {
        server.chunked = true;
        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(http().withMaxBytes(1024 * 1024)).download(server.url("/models/v.onnx"), sha, target()));
        assertTrue(e.getMessage().contains("more than " + (1024 * 1024) + " bytes arrived"), e.getMessage());
        assertFalse(Files.exists(target()));
        assertNoPartialFiles();
    }

    @Test
    void aHostThatIsNotConfiguredIsNeverAsked() {
        DownloadSettings otherPort = DownloadSettings.defaults().withHttp(Set.of("http://127.0.0.1:1"), null);
        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(otherPort).download(server.url("/models/v.onnx"), sha, target()));
        assertTrue(e.getMessage().contains("which is not an allowed model host"), e.getMessage());
        assertEquals(List.of(), server.requests(), "nothing was requested from it");
    }

    @Test
    void aRedirectIsNotFollowedAndWrongCredentialsAreRefused() {
        server.status = 302;
        server.statusTimes.set(1);
        server.location = "http://elsewhere.example/m.onnx";
        DownloadRefusedException redirect = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(http()).download(server.url("/models/v.onnx"), sha, target()));
        assertTrue(redirect.getMessage().contains("redirects are not followed"), redirect.getMessage());

        DownloadSettings wrong = DownloadSettings.defaults().withHttp(Set.of(server.url("/")), new BasicCredentials(ModelServer.USER, "wrong"));
        DownloadRefusedException denied = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(wrong).download(server.url("/models/v.onnx"), sha, target()));
        assertTrue(denied.getMessage().contains("refused access") && denied.getMessage().contains("HTTP 401"), denied.getMessage());
        assertFalse(denied.getMessage().contains("wrong"), "the password is not in the reason");
    }

    @Test
    void filesAreReadFromTrustedFoldersOnlyAndNotThroughLinksOutOfThem() throws IOException {
        Path trusted = Files.createDirectories(work.resolve("store"));
        Path inside = Files.write(trusted.resolve("m.onnx"), file);
        Path outside = Files.write(work.resolve("m.onnx"), file);
        DownloadSettings settings = DownloadSettings.defaults().withTrustedDir(trusted);

        new ModelDownloader(settings).download(inside.toUri().toString(), sha, target());
        assertArrayEquals(file, Files.readAllBytes(target()));
        Files.delete(target());

        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(settings).download(outside.toUri().toString(), sha, target()));
        assertTrue(e.getMessage().contains("is outside the trusted model folders"), e.getMessage());
        DownloadRefusedException dots = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(settings).download(trusted.toUri() + "../m.onnx", sha, target()));
        assertTrue(dots.getMessage().contains("is outside the trusted model folders"), dots.getMessage());
        Path link = Files.createSymbolicLink(trusted.resolve("link.onnx"), outside);
        DownloadRefusedException linked = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(settings).download(link.toUri().toString(), sha, target()));
        assertTrue(linked.getMessage().contains("through a symbolic link"), linked.getMessage());
        assertFalse(Files.exists(target()));
    }

    @Test
    void aFileLargerThanTheLimitIsRefused() throws IOException {
        Path trusted = Files.createDirectories(work.resolve("store"));
        Path inside = Files.write(trusted.resolve("m.onnx"), file);
        DownloadRefusedException e = assertThrows(DownloadRefusedException.class, () -> new ModelDownloader(
                DownloadSettings.defaults().withTrustedDir(trusted).withMaxBytes(SIZE - 1)).download(inside.toUri().toString(), sha, target()));
        assertTrue(e.getMessage().contains("is larger than the limit: the file has " + SIZE + " bytes"), e.getMessage());
    }

    @Test
    void anObjectOfAnAllowedBucketIsDownloadedFromAnS3CompatibleStore() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(Files.createDirectories(work.resolve("s3")));
                S3Client uploader = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                        .httpClient(UrlConnectionHttpClient.create()).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))).build()) {
            uploader.createBucket(b -> b.bucket("models"));
            uploader.createBucket(b -> b.bucket("other"));
            uploader.putObject(b -> b.bucket("models").key("embedding/v.onnx"), RequestBody.fromBytes(file));
            uploader.putObject(b -> b.bucket("other").key("v.onnx"), RequestBody.fromBytes(file));
            S3Access access = new S3Access(s3.endpoint(), "us-east-1", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true);
            DownloadSettings settings = new DownloadSettings(List.of(), Set.of(), Set.of("models"), DownloadSettings.MAX_BYTES, 2,
                    Duration.ofSeconds(30), null, access);

            try (ModelDownloader downloader = new ModelDownloader(settings)) {
                downloader.download("s3://models/embedding/v.onnx", sha, target());
                assertArrayEquals(file, Files.readAllBytes(target()));

                DownloadRefusedException bucket = assertThrows(DownloadRefusedException.class,
                        () -> downloader.download("s3://other/v.onnx", sha, work.resolve("w.onnx")));
                assertTrue(bucket.getMessage().contains("which is not an allowed model bucket"), bucket.getMessage());
                DownloadRefusedException missing = assertThrows(DownloadRefusedException.class,
                        () -> downloader.download("s3://models/absent.onnx", sha, work.resolve("x.onnx")));
                assertTrue(missing.getMessage().contains("NoSuchKey"), missing.getMessage());
            }
            DownloadSettings small = settings.withMaxBytes(SIZE - 1);
            try (ModelDownloader downloader = new ModelDownloader(small)) {
                DownloadRefusedException large = assertThrows(DownloadRefusedException.class,
                        () -> downloader.download("s3://models/embedding/v.onnx", sha, work.resolve("y.onnx")));
                assertTrue(large.getMessage().contains("the store announces " + SIZE + " bytes"), large.getMessage());
            }
        }
    }

    @Test
    void locationsOfOtherSchemesAreRefused() {
        DownloadRefusedException e = assertThrows(DownloadRefusedException.class,
                () -> new ModelDownloader(http()).download("ftp://127.0.0.1/m.onnx", sha, target()));
        assertTrue(e.getMessage().contains("unsupported scheme"), e.getMessage());
        assertTrue(URI.create(server.url("/")).getPort() > 0);
    }

    private void assertNoPartialFiles() throws IOException {
        Path cache = work.resolve("cache");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> files = Files.list(cache)) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
            }
        }
    }
}
