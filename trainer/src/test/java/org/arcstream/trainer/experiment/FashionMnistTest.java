package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reads the installed data set (Debian package dataset-fashion-mnist). */
class FashionMnistTest {

    @Test
    void loadsBothSplitsWithBalancedClasses() throws IOException {
        FashionMnist.Splits data = FashionMnist.load(FashionMnist.DEFAULT_DIR);
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals(28, data.train().rows());
        int[] perClass = new int[10];
        for (int i = 0; i < data.test().size(); i++) {
            perClass[data.test().label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "test images of class " + c);
        }
    }

    @Test
    void splitKeepsSeenClassesRenumberedAndHeldOutClassesApart() throws IOException {
        LabeledImages test = FashionMnist.load(FashionMnist.DEFAULT_DIR).test();
        OpenSetSplit split = OpenSetSplit.holdingOut(java.util.List.of(9, 2), 10);
        LabeledImages seen = split.seenOf(test);
        LabeledImages heldOut = split.heldOutOf(test);
        assertEquals(8000, seen.size());
        assertEquals(2000, heldOut.size());
        for (int i = 0; i < seen.size(); i++) {
            int label = seen.label(i);
            assertEquals(true, label >= 0 && label < 8, "label " + label);
        }
        assertEquals(3, split.originalClass(2), "class 2 is held out, so index 2 is the original class 3");
        for (int i = 0; i < heldOut.size(); i++) {
            assertEquals(true, heldOut.label(i) == 2 || heldOut.label(i) == 9);
        }
    }
}
