package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the data set the experiment reads by default: the Debian package's copy when installed, else the npm copy. */
class FashionMnistTest {

    @Test
    void loadsBothSplitsWithBalancedClasses() throws IOException {
        FashionMnist.Splits data = FashionMnist.load(FashionMnist.locate());
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
        LabeledImages test = FashionMnist.load(FashionMnist.locate()).test();
        OpenSetSplit split = OpenSetSplit.holdingOut(List.of(9, 2), 10);
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

    @Test
    void theInstalledCopyIsReadWhenItHoldsAllFourFiles(@TempDir Path dir) throws IOException {
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            Files.createFile(dir.resolve(name));
        }
        assertEquals(dir, FashionMnist.locate(dir, () -> {
            throw new AssertionError("fetched although the installed copy is complete");
        }));
    }

    @Test
    void anIncompleteInstalledCopyFallsBackToTheFetchedOne(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("train-images-idx3-ubyte.gz"));
        Files.createFile(dir.resolve("train-labels-idx1-ubyte.gz"));
        Files.createFile(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Path fetched = dir.resolve("fetched");
        assertEquals(fetched, FashionMnist.locate(dir, () -> fetched));
        assertEquals(fetched, FashionMnist.locate(dir.resolve("absent"), () -> fetched));
    }
}
