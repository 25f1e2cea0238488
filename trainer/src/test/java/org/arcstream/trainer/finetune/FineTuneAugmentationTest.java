package org.arcstream.trainer.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.SharedData;
import org.arcstream.trainer.augment.TrainingAugmentation;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.gate.GatePolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Augmentation and other views of a training photo reach the training steps and nothing else: the held-out images
 * the gate evaluates are the crops as they came. Real runs on 6 LFW people x 6 images, one epoch.
 */
class FineTuneAugmentationTest {

    private static final TrainingAugmentation STRONG = new TrainingAugmentation(0.1, 0.3, 0.5, 1.5, 8, 0.3);

    private static List<LabeledCrop> crops;
    private static Path currentModel;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadCrops(@TempDir Path dir) throws Exception {
        crops = SharedData.smallGalleryCrops(dir.resolve("gallery"), 6, 6);
        currentModel = SharedData.defaultEmbeddingModel();
    }

    private static FineTuneSettings plain() {
        // 2 of 6 identities held out, 1 image per trained identity held out: 20 training crops
        return new FineTuneSettings(1, 10, 1e-3, "sgd", 0, 4, 32, 0.5, 0.34, 1, 3);
    }

    private RunReport run(FineTuneSettings settings, Function<LabeledCrop, List<LabeledCrop>> otherViews, String dir) {
        return new FineTuneRun(settings, GatePolicy.defaults(), InferenceOptions.defaults())
                .run(crops, otherViews, 0, currentModel, tmp.resolve(dir), d -> "x", TrainingProgress.NONE);
    }

    @Test
    void augmentationAndOtherViewsChangeTheTrainingButNotTheEvaluatedImages() {
        List<byte[]> pixels = crops.stream().map(c -> c.crop().pixels().clone()).toList();
        List<LabeledCrop> asked = new ArrayList<>();
        RunReport base = run(plain(), c -> List.of(), "plain");
        RunReport augmented = run(plain().withAugmentation(STRONG), c -> {
            asked.add(c);
            return List.of(new LabeledCrop(c.identity(), c.source() + "#mirrored", ImageOps.mirror(c.crop())));
        }, "augmented");

        // the training steps saw other images
        assertNotEquals(base.curves().stepLoss()[0], augmented.curves().stepLoss()[0]);
        assertEquals(20, augmented.dataCounts().get("training_other_views"));
        assertEquals(4, augmented.curves().stepLoss().length, "40 training views in batches of 10");
        assertFalse(base.dataCounts().containsKey("training_other_views"));
        // other views are asked for of training crops only, never of held-out ones
        DatasetSplit split = DatasetSplit.of(crops, 3, 0.34, 1);
        Set<String> heldOut = new HashSet<>();
        split.heldOutImages().forEach(c -> heldOut.add(c.source()));
        split.heldOutIdentities().forEach(c -> heldOut.add(c.source()));
        assertEquals(20, asked.size());
        asked.forEach(c -> assertFalse(heldOut.contains(c.source()), "a view of held-out " + c.source() + " was asked for"));
        // the gate evaluated the same held-out images, unchanged: the current model's figures are identical
        assertEquals(base.gate().current().metrics(), augmented.gate().current().metrics());
        assertEquals(base.gate().current().heldOutImagePairs(), augmented.gate().current().heldOutImagePairs());
        assertEquals(base.gate().candidate().heldOutImages().images(), augmented.gate().candidate().heldOutImages().images());
        for (int i = 0; i < crops.size(); i++) {
            assertArrayEquals(pixels.get(i), crops.get(i).crop().pixels(), "crop " + crops.get(i).source() + " was modified");
        }
        assertEquals(STRONG, augmented.settings().augmentation());
    }

    @Test
    void aRunWithAugmentationIsReproducedByItsSeed() {
        RunReport first = run(plain().withAugmentation(STRONG), c -> List.of(), "first");
        RunReport second = run(plain().withAugmentation(STRONG), c -> List.of(), "second");
        assertArrayEquals(first.curves().stepLoss(), second.curves().stepLoss());
        assertEquals(first.gate().candidate().metrics(), second.gate().candidate().metrics());
    }

    @Test
    void aViewOfAnotherPersonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(plain(),
                c -> List.of(new LabeledCrop(c.identity() + "-other", c.source(), c.crop())), "wrong"));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }
}
