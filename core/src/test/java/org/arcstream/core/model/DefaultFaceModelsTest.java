package org.arcstream.core.model;

import static org.arcstream.core.fetch.NpmCommand.withNpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultFaceModelsTest {

    @Test
    void verifiedFilesInTheCacheAreUsedWithoutFetching(@TempDir Path dir) throws Exception {
        Path cache = DefaultFaceModels.defaultCacheDir();
        DefaultFaceModels.ensure(cache);
        for (String name : DefaultFaceModels.FILES.keySet()) {
            Files.copy(cache.resolve(name), dir.resolve(name));
        }
        FileTime before = Files.getLastModifiedTime(dir.resolve("fr_detect.onnx"));
        // an npm that cannot exist proves nothing is fetched
        withNpm("/nonexistent/npm", () -> {
            FaceModelFiles files = DefaultFaceModels.ensure(dir);
            assertEquals(dir.resolve("fr_feature.batch.onnx"), files.embedder());
            assertTrue(Files.isRegularFile(files.landmarks()));
            assertEquals(before, Files.getLastModifiedTime(files.detector()));
            // and a second call leaves the prepared file alone too
            FileTime prepared = Files.getLastModifiedTime(files.embedder());
            DefaultFaceModels.ensure(dir);
            assertEquals(prepared, Files.getLastModifiedTime(files.embedder()));
        });
    }

    @Test
    void concurrentCallsInOneProcessWaitForEachOtherAndLeftoversAreCleared(@TempDir Path dir) throws Exception {
        Path cache = DefaultFaceModels.defaultCacheDir();
        DefaultFaceModels.ensure(cache);
        for (String name : DefaultFaceModels.FILES.keySet()) {
            Files.copy(cache.resolve(name), dir.resolve(name));
        }
        Path abandoned = Files.createDirectories(dir.resolve(".fetch-123"));
        Files.writeString(abandoned.resolve("part.tgz"), "half a download");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<FaceModelFiles>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> DefaultFaceModels.ensure(dir)));
            }
            for (var call : calls) {
                assertEquals(dir.resolve("fr_feature.batch.onnx"), call.get().embedder());
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(Files.notExists(abandoned));
    }

    @Test
    void missingNpmSaysHowToFixIt(@TempDir Path dir) throws Exception {
        withNpm("/nonexistent/npm", () -> {
            var e = assertThrows(ModelUnavailableException.class, () -> DefaultFaceModels.ensure(dir));
            assertTrue(e.getMessage().contains("apt-get install npm"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        });
    }

    @Test
    void aFailingNpmIsReportedWithItsOutput(@TempDir Path dir) throws Exception {
        Path fakeNpm = dir.resolve("npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'registry unreachable' >&2\nexit 3\n");
        assertTrue(fakeNpm.toFile().setExecutable(true));
        withNpm(fakeNpm.toString(), () -> {
            var e = assertThrows(ModelUnavailableException.class, () -> DefaultFaceModels.ensure(dir.resolve("models")));
            assertTrue(e.getMessage().contains("exit 3") && e.getMessage().contains("registry unreachable"), e.getMessage());
        });
    }

    @Test
    void aCorruptFileIsNamedWithBothDigests(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fr_detect.onnx");
        Files.writeString(file, "not the detector");
        String expected = DefaultFaceModels.FILES.get("fr_detect.onnx");
        var e = assertThrows(ModelUnavailableException.class, () -> DefaultFaceModels.verify(file, expected, dir));
        assertTrue(e.getMessage().startsWith("checksum mismatch for fr_detect.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(Sha256.hex(file)), e.getMessage());
    }

    @Test
    void aCorruptCachedFileIsFetchedAgain(@TempDir Path dir) throws Exception {
        Path cache = DefaultFaceModels.defaultCacheDir();
        DefaultFaceModels.ensure(cache);
        for (Map.Entry<String, String> f : DefaultFaceModels.FILES.entrySet()) {
            Files.copy(cache.resolve(f.getKey()), dir.resolve(f.getKey()));
        }
        Files.writeString(dir.resolve("fr_landmark.onnx"), "damaged");
        FaceModelFiles files = DefaultFaceModels.ensure(dir);
        assertEquals(DefaultFaceModels.FILES.get("fr_landmark.onnx"), Sha256.hex(dir.resolve("fr_landmark.onnx")));
        assertTrue(Files.isRegularFile(files.landmarks()));
    }
}
