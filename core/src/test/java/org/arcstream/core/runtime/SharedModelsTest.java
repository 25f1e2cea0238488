package org.arcstream.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcstream.core.TestData;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedModelsTest {

    private static final FacePipelineConfig CONFIG = TestData.defaultConfig();

    @Test
    void pipelinesShareOneSessionPerModelAndTheLastUserClosesIt() {
        SharedModels registry = SharedModels.process();
        Path embedding = CONFIG.embedding().file();
        int before = users(registry, embedding);
        FacePipeline a = new FacePipeline(CONFIG);
        FacePipeline b = new FacePipeline(CONFIG);
        FacePipeline c = new FacePipeline(CONFIG);
        try {
            for (Path file : List.of(CONFIG.detectorModel(), CONFIG.landmarkModel(), embedding)) {
                List<SharedModels.LoadedModel> rows = rows(registry, file);
                assertEquals(1, rows.size(), "sessions of " + file + ": " + rows);
            }
            assertEquals(before + 3, users(registry, embedding));
        } finally {
            a.close();
            b.close();
        }
        assertEquals(before + 1, users(registry, embedding), "still used by the third pipeline");
        c.close();
        assertEquals(before, users(registry, embedding));
        if (before == 0) {
            assertTrue(rows(registry, embedding).isEmpty(), "the last user closed the session");
        }
    }

    @Test
    void theSameBytesUnderAnotherNameAreOneModelAndTheBatchKindIsRead(@TempDir Path dir) throws Exception {
        SharedModels registry = new SharedModels();
        Path copy = Files.copy(CONFIG.embedding().file(), dir.resolve("copy.onnx"));
        Path fixed = CONFIG.embedding().file().resolveSibling("fr_feature.onnx");
        try (SharedModel first = registry.acquire(CONFIG.embedding().file(), CONFIG.inference());
                SharedModel second = registry.acquire(copy, CONFIG.inference());
                SharedModel original = registry.acquire(fixed, CONFIG.inference())) {
            assertEquals(2, registry.loaded().size(), registry.loaded().toString());
            assertEquals(2, registry.loaded().stream().filter(r -> r.file().equals(CONFIG.embedding().file())).findFirst()
                    .orElseThrow().users());
            assertTrue(first.dynamicBatch() && second.dynamicBatch());
            assertFalse(original.dynamicBatch());
            second.close();
            second.close(); // a second close must not release another user's hold
            assertEquals(1, registry.loaded().stream().filter(r -> r.file().equals(CONFIG.embedding().file())).findFirst()
                    .orElseThrow().users());
        }
        assertTrue(registry.loaded().isEmpty(), registry.loaded().toString());
    }

    @Test
    void embeddersOfOneModelShareItsSession() {
        SharedModels registry = SharedModels.process();
        try (FaceEmbedder one = new FaceEmbedder(CONFIG.embedding(), CONFIG.inference(), 8, false);
                FaceEmbedder two = new FaceEmbedder(CONFIG.embedding(), CONFIG.inference(), 8, true)) {
            assertEquals(1, rows(registry, CONFIG.embedding().file()).size());
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SharedModels().acquire(dir.resolve("none.onnx"), CONFIG.inference()));
        assertTrue(e.getMessage().startsWith("model file not found"), e.getMessage());
    }

    private static int users(SharedModels registry, Path file) {
        return rows(registry, file).stream().mapToInt(SharedModels.LoadedModel::users).sum();
    }

    private static List<SharedModels.LoadedModel> rows(SharedModels registry, Path file) {
        return registry.loaded().stream().filter(r -> r.file().equals(file)).toList();
    }
}
