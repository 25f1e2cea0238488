package org.arcstream.trainer.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {

    @TempDir
    Path dir;

    private static ScatterPlot.Panel clusters(String title, int dims, int perClass, long seed) {
        Random random = new Random(seed);
        float[][] points = new float[3 * perClass][dims];
        int[] classes = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            classes[i] = i / perClass;
            for (int d = 0; d < dims; d++) {
                points[i][d] = (d == classes[i] ? 1f : 0f) + (float) random.nextGaussian() * 0.1f;
            }
        }
        return new ScatterPlot.Panel(title, points, classes);
    }

    /**
     * Pixels of this colour or of this colour faded towards white (far points of a 3-D view are
     * drawn fainter), excluding white itself.
     */
    private static int count(BufferedImage image, int rgb, int fromX, int toX) {
        int[] base = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                int p = image.getRGB(x, y);
                int[] px = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
                int strongest = 0;
                for (int k = 1; k < 3; k++) {
                    if (255 - base[k] > 255 - base[strongest]) {
                        strongest = k;
                    }
                }
                double fade = 1 - (255.0 - px[strongest]) / (255.0 - base[strongest]);
                if (fade < 0 || fade > 0.8) {
                    continue;
                }
                boolean matches = true;
                for (int k = 0; k < 3; k++) {
                    matches &= Math.abs(px[k] - (base[k] * (1 - fade) + 255 * fade)) <= 3;
                }
                if (matches) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void writesAPngOfOnePanelWidthPerPanel() throws IOException {
        ScatterPlot plot = new ScatterPlot(List.of("a", "b", "c"), Set.of(2), "held out", 420);
        Path png = dir.resolve("sub/plot.png");
        plot.write(png, List.of(clusters("softmax", 3, 100, 1), clusters("arcface", 3, 100, 2)));

        assertTrue(Files.size(png) > 0);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "decodes as an image");
        assertEquals(840, image.getWidth());
        assertEquals(420, image.getHeight());
        // both panels hold dots of class 0 (blue) and class 1 (orange)
        for (int panel = 0; panel < 2; panel++) {
            assertTrue(count(image, 0x1f77b4, panel * 420, panel * 420 + 420) > 50, "class 0 dots in panel " + panel);
            assertTrue(count(image, 0xff7f0e, panel * 420, panel * 420 + 420) > 50, "class 1 dots in panel " + panel);
        }
    }

    @Test
    void plotsTwoAndManyDimensions() {
        ScatterPlot plot = new ScatterPlot(List.of("a", "b", "c"), Set.of(), null, 300);
        BufferedImage flat = plot.render(List.of(clusters("2-D", 2, 50, 3)));
        BufferedImage reduced = plot.render(List.of(clusters("8-D", 8, 50, 4)));
        assertEquals(300, flat.getWidth());
        assertTrue(count(flat, 0x1f77b4, 0, 300) > 20);
        assertTrue(count(reduced, 0x2ca02c, 0, 300) > 20, "the third class shows after the PCA projection");
    }

    @Test
    void refusesMismatchedInput() {
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot.Panel("x", new float[2][3], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot.Panel("x", new float[][] {{1, 2}, {1, 2, 3}}, new int[2]));
    }
}
