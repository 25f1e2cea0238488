package org.arcstream.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairsFileTest {

    @Test
    void readsLabelsInEveryAcceptedSpellingAndSkipsAHeader(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("pairs.csv");
        Files.writeString(csv, "first,second,same\na.jpg,b.jpg,Yes\n\"c d.jpg\",e.jpg,0\nf.jpg,g.jpg,1\nh.jpg,i.jpg,No\n");
        List<PairsFile.Pair> pairs = PairsFile.read(csv);
        assertEquals(List.of(
                new PairsFile.Pair("a.jpg", "b.jpg", true),
                new PairsFile.Pair("c d.jpg", "e.jpg", false),
                new PairsFile.Pair("f.jpg", "g.jpg", true),
                new PairsFile.Pair("h.jpg", "i.jpg", false)), pairs);
    }

    @Test
    void aBadLabelAfterTheFirstRowIsAnError(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("pairs.csv");
        Files.writeString(csv, "a.jpg,b.jpg,1\nc.jpg,d.jpg,maybe\n");
        var e = assertThrows(IllegalArgumentException.class, () -> PairsFile.read(csv));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("maybe"), e.getMessage());
        Files.writeString(csv, "a.jpg,b.jpg\n");
        assertThrows(IllegalArgumentException.class, () -> PairsFile.read(csv));
    }
}
