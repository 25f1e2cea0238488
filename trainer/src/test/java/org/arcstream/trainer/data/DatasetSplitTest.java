package org.arcstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class DatasetSplitTest {

    private static List<LabeledCrop> crops(int identities, int images) {
        List<LabeledCrop> out = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            for (int k = 0; k < images; k++) {
                out.add(new LabeledCrop("id" + i, "id" + i + "/" + k, new RgbImage(1, 1, new byte[3])));
            }
        }
        return out;
    }

    @Test
    void heldOutIdentitiesNeverTrainAndEveryTrainedIdentityKeepsImagesBack() {
        DatasetSplit split = DatasetSplit.of(crops(10, 10), 42, 0.3, 2);
        Set<String> trained = new HashSet<>(split.trainingIdentities());
        Set<String> heldOut = new HashSet<>();
        split.heldOutIdentities().forEach(c -> heldOut.add(c.identity()));
        assertEquals(3, heldOut.size());
        assertEquals(7, trained.size());
        assertTrue(heldOut.stream().noneMatch(trained::contains));
        assertEquals(14, split.heldOutImages().size());
        assertEquals(56, split.training().size());
        Set<String> trainingSources = new HashSet<>();
        split.training().forEach(c -> trainingSources.add(c.source()));
        assertTrue(split.heldOutImages().stream().noneMatch(c -> trainingSources.contains(c.source())));
        assertTrue(split.heldOutImages().stream().allMatch(c -> trained.contains(c.identity())));
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnotherOne() {
        List<LabeledCrop> all = crops(10, 10);
        assertEquals(DatasetSplit.of(all, 1, 0.3, 2), DatasetSplit.of(all, 1, 0.3, 2));
        boolean differs = false;
        for (long seed = 2; seed < 6 && !differs; seed++) {
            differs = !DatasetSplit.of(all, seed, 0.3, 2).heldOutIdentities().equals(DatasetSplit.of(all, 1, 0.3, 2).heldOutIdentities());
        }
        assertTrue(differs);
    }

    @Test
    void identitiesWithFewImagesKeepTwoForTrainingAndTooFewIdentitiesAreRefused() {
        DatasetSplit split = DatasetSplit.of(crops(5, 3), 1, 0.2, 5);
        assertEquals(3, split.trainingIdentities().size());
        assertEquals(3, split.heldOutImages().size());
        assertEquals(6, split.training().size());
        assertThrows(IllegalArgumentException.class, () -> DatasetSplit.of(crops(3, 5), 1, 0.3, 1));
    }
}
