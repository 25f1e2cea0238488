package org.arcstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void defaultsComeFromTheDocumentedFile() {
        Settings s = Settings.load(null, Map.of(), new Properties());
        assertEquals(0.65f, s.decimal("detector.score-threshold"));
        assertEquals("auto", s.string("inference.device"));
        assertEquals(false, s.flag("embedding.flip"));
        assertEquals(0, s.integer("embedding.shift"));
    }

    @Test
    void laterLayersWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.properties");
        Files.writeString(file, "embedding.batch-size=12\ndetector.max-faces=5\nmatch.threshold=0.5\n");
        Properties system = new Properties();
        system.setProperty("arcstream.match.threshold", "0.7");
        Map<String, String> env = Map.of("ARCSTREAM_DETECTOR_MAX_FACES", "6", "ARCSTREAM_MATCH_THRESHOLD", "0.6");

        Settings s = Settings.load(file, env, system);

        assertEquals(12, s.integer("embedding.batch-size"));
        assertEquals(6, s.integer("detector.max-faces"));
        assertEquals(0.7f, s.decimal("match.threshold"));
        assertEquals(0.9f, s.with("match.threshold", "0.9").decimal("match.threshold"));
    }

    @Test
    void mistakesAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "detector.treshold=0.5\n");
        var unknown = assertThrows(IllegalArgumentException.class, () -> Settings.load(file, Map.of(), new Properties()));
        assertTrue(unknown.getMessage().contains("detector.treshold"), unknown.getMessage());

        Settings s = Settings.load(null, Map.of("ARCSTREAM_EMBEDDING_BATCH_SIZE", "lots"), new Properties());
        var invalid = assertThrows(IllegalArgumentException.class, () -> s.integer("embedding.batch-size"));
        assertEquals("setting embedding.batch-size (env ARCSTREAM_EMBEDDING_BATCH_SIZE) must be an integer, got 'lots'",
                invalid.getMessage());
    }
}
