package org.arcstream.trainer.domainshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.arcstream.core.image.RgbImage;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.junit.jupiter.api.Test;

/** The experiment's populations: one partition of the people and images, the same under every camera. */
class DomainShiftExperimentTest {

    private static List<LabeledCrop> crops(int people, int images, int shade) {
        List<LabeledCrop> crops = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            for (int i = 0; i < images; i++) {
                byte[] px = new byte[3 * 4 * 4];
                java.util.Arrays.fill(px, (byte) shade);
                crops.add(new LabeledCrop("g/person" + p, "g/person" + p + "/" + i + ".jpg", new RgbImage(4, 4, px)));
            }
        }
        return crops;
    }

    private static List<String> sources(List<LabeledCrop> crops) {
        return crops.stream().map(LabeledCrop::source).toList();
    }

    @Test
    void everyCameraSeesTheSamePartitionOfDisjointPopulations() {
        List<LabeledCrop> camera = crops(10, 5, 1);
        List<LabeledCrop> other = new ArrayList<>(crops(10, 5, 2));
        Collections.shuffle(other, new Random(3)); // the carried split must not depend on the order
        DatasetSplit split = DatasetSplit.of(camera, 7, 0.3, 2);
        DatasetSplit carried = DomainShiftExperiment.carry(split, other);

        assertEquals(sources(split.training()), sources(carried.training()));
        assertEquals(sources(split.heldOutImages()), sources(carried.heldOutImages()));
        assertEquals(sources(split.heldOutIdentities()), sources(carried.heldOutIdentities()));
        assertTrue(carried.training().stream().allMatch(c -> c.crop().pixels()[0] == 2), "the other camera's crops, not the first's");

        Set<String> all = new HashSet<>();
        for (List<LabeledCrop> part : List.of(split.training(), split.heldOutImages(), split.heldOutIdentities())) {
            for (String s : sources(part)) {
                assertTrue(all.add(s), s + " is in two populations");
            }
        }
        assertEquals(50, all.size());
        Set<String> unseen = new HashSet<>(split.heldOutIdentities().stream().map(LabeledCrop::identity).toList());
        assertEquals(3, unseen.size());
        assertTrue(split.training().stream().noneMatch(c -> unseen.contains(c.identity())), "unseen people are never trained on");
        assertEquals(7 * 2, split.heldOutImages().size());
        assertTrue(split.heldOutImages().stream().allMatch(c -> split.trainingIdentities().contains(c.identity())),
                "enrolled held-out images are of trained people");
    }

    @Test
    void aCropMissingUnderTheOtherCameraOrTwoCropsOfOneSourceAreRefused() {
        List<LabeledCrop> camera = crops(6, 4, 1);
        DatasetSplit split = DatasetSplit.of(camera, 1, 0.34, 1);
        List<LabeledCrop> missing = new ArrayList<>(crops(6, 4, 2));
        missing.remove(5);
        assertThrows(IllegalArgumentException.class, () -> DomainShiftExperiment.carry(split, missing));
        List<LabeledCrop> twice = new ArrayList<>(crops(6, 4, 2));
        twice.add(twice.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainShiftExperiment.carry(split, twice));
        assertTrue(e.getMessage().contains("one crop per source"), e.getMessage());
    }
}
