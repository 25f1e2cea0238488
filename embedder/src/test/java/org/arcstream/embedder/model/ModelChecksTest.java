package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.model.FaceModelFiles;
import org.arcstream.core.model.Sha256;
import org.arcstream.embedder.delivery.DownloadSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checks a published model passes before it is used, on the real model files and ONNX Runtime. */
class ModelChecksTest {

    private static Path work;
    private static FaceModelFiles models;
    private static final EmbeddingModelCheck CHECK = new EmbeddingModelCheck(112);

    @BeforeAll
    static void setUp() throws IOException {
        work = Files.createTempDirectory("model-checks");
        models = DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir());
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theEmbeddingModelPassesWithItsDimensionWithDynamicOrFixedBatch() {
        assertEquals(512, CHECK.check(models.embedder()));
        assertEquals(512, CHECK.check(models.embedder().resolveSibling("fr_feature.onnx")), "batch fixed at 1 is usable crop by crop");
    }

    @Test
    void modelsOfOtherShapesAreRefusedWithTheShapeTheyHave() {
        ModelRefusedException landmarks = assertThrows(ModelRefusedException.class, () -> CHECK.check(models.landmarks()));
        assertTrue(landmarks.getMessage().contains("[-1, 1, 64, 64]"), landmarks.getMessage());
        ModelRefusedException detector = assertThrows(ModelRefusedException.class, () -> CHECK.check(models.detector()));
        assertTrue(detector.getMessage().contains("must be (N, 3, 112, 112)"), detector.getMessage());
        ModelRefusedException otherCrop = assertThrows(ModelRefusedException.class, () -> new EmbeddingModelCheck(128).check(models.embedder()));
        assertTrue(otherCrop.getMessage().contains("(N, 3, 128, 128)"), otherCrop.getMessage());
    }

    @Test
    void aFileThatIsNoOnnxModelIsRefusedByOnnxRuntime() throws IOException {
        Path garbage = Files.write(work.resolve("garbage.onnx"), "this is not a model".repeat(100).getBytes());
        ModelRefusedException e = assertThrows(ModelRefusedException.class, () -> CHECK.check(garbage));
        assertTrue(e.getMessage().startsWith("ONNX Runtime cannot load or run garbage.onnx"), e.getMessage());
    }

    @Test
    void theFetcherKeepsAVerifiedCopyAndRefusesMismatchesUnknownHostsAndMissingFiles() throws IOException {
        Path source = models.embedder();
        ModelFetcher fetcher = new ModelFetcher(work.resolve("cache"), DownloadSettings.defaults().withTrustedDir(source.getParent())
                .withTrustedDir(work));
        String sha = Sha256.hex(source);
        Path copy = fetcher.fetch("v", source.toUri().toString(), sha);
        assertEquals(work.resolve("cache").resolve("v.onnx"), copy);
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));

        String wrong = sha.substring(0, 63) + (sha.endsWith("0") ? "1" : "0");
        ModelRefusedException mismatch = assertThrows(ModelRefusedException.class, () -> fetcher.fetch("w", source.toUri().toString(), wrong));
        assertTrue(mismatch.getMessage().startsWith("sha256 mismatch"), mismatch.getMessage());
        assertFalse(Files.exists(work.resolve("cache").resolve("w.onnx")), "nothing unverified is left to load");

        ModelRefusedException http = assertThrows(ModelRefusedException.class, () -> fetcher.fetch("x", "http://store/m.onnx", sha));
        assertTrue(http.getMessage().contains("which is not an allowed model host"), http.getMessage());
        ModelRefusedException missing = assertThrows(ModelRefusedException.class,
                () -> fetcher.fetch("y", work.resolve("absent.onnx").toUri().toString(), sha));
        assertTrue(missing.getMessage().startsWith("model file not found"), missing.getMessage());
    }
}
