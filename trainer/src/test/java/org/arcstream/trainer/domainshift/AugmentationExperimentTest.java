package org.arcstream.trainer.domainshift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.junit.jupiter.api.Test;

/** Augmentations without shifts see the centre of the same filmed crops; none may shift beyond the margin. */
class AugmentationExperimentTest {

    @Test
    void trimmingKeepsTheCentreOfEveryCropInEveryPopulation() {
        List<LabeledCrop> crops = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < 4; i++) {
                byte[] px = new byte[3 * 6 * 6];
                for (int k = 0; k < px.length; k++) {
                    px[k] = (byte) (k + p + i);
                }
                crops.add(new LabeledCrop("g/p" + p, "g/p" + p + "/" + i, new RgbImage(6, 6, px)));
            }
        }
        DatasetSplit split = DatasetSplit.of(crops, 1, 0.34, 1);
        DatasetSplit trimmed = AugmentationExperiment.trimmed(split, 1);

        List<List<LabeledCrop>> before = List.of(split.training(), split.heldOutImages(), split.heldOutIdentities());
        List<List<LabeledCrop>> after = List.of(trimmed.training(), trimmed.heldOutImages(), trimmed.heldOutIdentities());
        for (int part = 0; part < 3; part++) {
            assertEquals(before.get(part).size(), after.get(part).size());
            for (int i = 0; i < before.get(part).size(); i++) {
                RgbImage full = before.get(part).get(i).crop(), centre = after.get(part).get(i).crop();
                assertEquals(before.get(part).get(i).source(), after.get(part).get(i).source());
                assertEquals(4, centre.width());
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        for (int c = 0; c < 3; c++) {
                            assertEquals(full.get(x + 1, y + 1, c), centre.get(x, y, c));
                        }
                    }
                }
            }
        }
        assertArrayEquals(split.training().get(0).crop().pixels(), AugmentationExperiment.trimmed(split, 0).training().get(0).crop().pixels());
    }

    @Test
    void aShiftBeyondTheCropsMarginIsRefused() {
        AugmentationExperiment experiment = new AugmentationExperiment(FineTuneSettings.defaults(), InferenceOptions.defaults());
        var e = assertThrows(IllegalArgumentException.class, () -> experiment.run(List.of(), 2, Path.of("unused.onnx"),
                Map.of("wide", new TestTimeAugmentation(true, 3))));
        assertTrue(e.getMessage().contains("more than the crops' margin of 2"), e.getMessage());
    }
}
