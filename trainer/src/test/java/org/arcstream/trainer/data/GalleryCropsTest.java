package org.arcstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.trainer.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryCropsTest {

    @Test
    void imagesThatCannotBeDecodedAreListedWithTheirReasonAndNotesAreLeftOut(@TempDir Path tmp) throws Exception {
        Path gallery = SharedData.smallGallery(tmp.resolve("gallery"), 2, 2);
        Path person = Files.list(gallery).sorted().findFirst().orElseThrow();
        Path first = Files.list(person).sorted().findFirst().orElseThrow();
        byte[] jpeg = Files.readAllBytes(first);
        Path truncated = person.resolve("truncated.jpg");
        Files.write(truncated, Arrays.copyOf(jpeg, jpeg.length / 3));
        Path webp = person.resolve("photo.webp");
        Files.write(webp, new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'});
        Files.writeString(person.resolve("README.md"), "who is who");

        GalleryCrops.Loaded loaded;
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(Settings.load(null)))) {
            loaded = GalleryCrops.load(gallery, pipeline);
        }

        assertEquals(4, loaded.crops().size());
        assertEquals(2, loaded.skipped());
        assertEquals(2, loaded.unreadable().size(), loaded.unreadable().toString());
        assertEquals(webp.toString(), loaded.unreadable().get(0).file());
        assertEquals(truncated.toString(), loaded.unreadable().get(1).file());
        loaded.unreadable().forEach(u -> assertTrue(!u.reason().isBlank(), u.toString()));
    }
}
