package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.embedder.delivery.DownloadSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model switched in embeds with the instance's own settings: the test-time augmentation among them. */
class VerifiedModelsTest {

    @Test
    void aSwitchedModelKeepsTheTestTimeAugmentation(@TempDir Path cache) {
        TestTimeAugmentation tta = new TestTimeAugmentation(true, 2);
        FacePipelineConfig base = FacePipelineConfig.from(Settings.load(null).with("embedding.flip", "true").with("embedding.shift", "2"));
        assertEquals(tta, base.tta());
        try (VerifiedModels models = new VerifiedModels(base, cache, DownloadSettings.defaults());
                var embedder = models.embedderFor("other-version", base.embedding().file())) {
            assertEquals(tta, models.configFor("other-version", base.embedding().file()).tta());
            assertEquals(tta, embedder.tta());
        }
    }
}
