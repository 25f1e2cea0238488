package org.arcstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.RgbImage;
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

    @Test
    void cropsWithAMarginAreTheAlignedCropsWithTheImageAroundThem(@TempDir Path tmp) throws Exception {
        Path gallery = SharedData.smallGallery(tmp.resolve("gallery"), 2, 2);
        FacePipelineConfig plain = FacePipelineConfig.from(Settings.load(null));
        GalleryCrops.Loaded aligned, withMargin;
        try (FacePipeline pipeline = new FacePipeline(plain);
                FacePipeline shifted = new FacePipeline(plain.withTta(new TestTimeAugmentation(false, 3)))) {
            aligned = GalleryCrops.load(gallery, pipeline);
            withMargin = GalleryCrops.load(gallery, shifted, true);
            var e = assertThrows(IllegalArgumentException.class, () -> GalleryCrops.load(gallery, pipeline, true));
            assertTrue(e.getMessage().contains("embedding.shift"), e.getMessage());
        }
        assertEquals(4, withMargin.crops().size());
        for (int i = 0; i < 4; i++) {
            RgbImage big = withMargin.crops().get(i).crop(), small = aligned.crops().get(i).crop();
            assertEquals(118, big.width());
            assertEquals(aligned.crops().get(i).source(), withMargin.crops().get(i).source());
            // the centre is the aligned crop, up to the rounding of a sample at an exact half level
            assertEquals(small.get(56, 56, 0), big.get(59, 59, 0), 1);
            assertEquals(small.get(10, 100, 1), big.get(13, 103, 1), 1);
        }
    }
}
