package org.arcstream.trainer.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.arcstream.core.eval.ScoredPair;
import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void rocCurveCornersFollowTheScores() {
        List<ScoredPair> pairs = List.of(new ScoredPair(0.9, true), new ScoredPair(0.8, false),
                new ScoredPair(0.7, true), new ScoredPair(0.1, false));
        List<RocChart.Point> curve = RocChart.curve(pairs);
        assertEquals(List.of(new RocChart.Point(0, 0), new RocChart.Point(0, 0.5), new RocChart.Point(0.5, 0.5),
                new RocChart.Point(0.5, 1), new RocChart.Point(1, 1)), curve);
    }

    @Test
    void tiedScoresMoveDiagonally() {
        List<RocChart.Point> curve = RocChart.curve(List.of(new ScoredPair(0.5, true), new ScoredPair(0.5, false)));
        assertEquals(List.of(new RocChart.Point(0, 0), new RocChart.Point(1, 1)), curve);
        assertThrows(IllegalArgumentException.class, () -> RocChart.curve(List.of(new ScoredPair(0.5, true))));
    }

    @Test
    void chartsRenderAsPngsWithTheSeriesColours() throws Exception {
        byte[] line = new LineChart("loss", "step", "loss").add("train", new double[] {0, 1, 2}, new double[] {3, 2, Double.NaN}).toPng(400, 300);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(line));
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        assertEquals(true, containsColour(img, ChartCanvas.PALETTE[0].getRGB()));

        byte[] roc = new RocChart("ROC").add("old", List.of(new ScoredPair(0.9, true), new ScoredPair(0.1, false)))
                .add("new", List.of(new ScoredPair(0.2, true), new ScoredPair(0.9, false))).toPng(300, 300);
        BufferedImage r = ImageIO.read(new ByteArrayInputStream(roc));
        assertEquals(true, containsColour(r, ChartCanvas.PALETTE[1].getRGB()));
        assertNotEquals(0, roc.length);
    }

    private static boolean containsColour(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }
}
