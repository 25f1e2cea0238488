package org.arcstream.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;

/** Locates the labeled test images beside the checkout and builds the default pipeline settings. */
public final class TestData {

    private TestData() {}

    /** The shared data folder: system property {@code arcstream.shared.dir}, else ../shared from the repository root. */
    public static Path sharedDir() {
        String configured = System.getProperty("arcstream.shared.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared");
        return dir.toAbsolutePath().normalize();
    }

    /** The LFW sample: 10 identities x 10 images; the test is skipped where it is absent. */
    public static Path lfw10() {
        Path dir = sharedDir().resolve("data/lfw10");
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        return dir;
    }

    /** The ORL faces: 40 identities x 10 tight grey 92x112 crops (PNG); the test is skipped where they are absent. */
    public static Path orl() {
        Path dir = sharedDir().resolve("data/orl");
        assumeTrue(Files.isDirectory(dir), "ORL faces not found at " + dir);
        return dir;
    }

    public static Path lfwImage(String identity, int number) {
        return lfw10().resolve(identity).resolve(String.format("%s_%04d.jpg", identity, number));
    }

    /** The default settings (default models, fetched on first use), independent of the caller's environment. */
    public static FacePipelineConfig defaultConfig() {
        return FacePipelineConfig.from(Settings.load(null));
    }
}
