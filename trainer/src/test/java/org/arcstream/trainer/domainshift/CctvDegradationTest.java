package org.arcstream.trainer.domainshift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class CctvDegradationTest {

    /** A colourful, detailed 112x112 image: random noise. */
    private static RgbImage detailed() {
        byte[] px = new byte[3 * 112 * 112];
        new Random(5).nextBytes(px);
        return new RgbImage(112, 112, px);
    }

    @Test
    void keepsTheSizeTurnsGreyAndRemovesFineDetail() {
        RgbImage in = detailed();
        RgbImage out = CctvDegradation.poorCamera(1).apply(in);
        assertEquals(112, out.width());
        assertEquals(112, out.height());
        double inVariation = 0, outVariation = 0;
        for (int y = 0; y < 112; y++) {
            for (int x = 1; x < 112; x++) {
                assertTrue(Math.abs(out.get(x, y, 0) - out.get(x, y, 1)) <= 2 && Math.abs(out.get(x, y, 1) - out.get(x, y, 2)) <= 2);
                inVariation += Math.abs(in.get(x, y, 1) - in.get(x - 1, y, 1));
                outVariation += Math.abs(out.get(x, y, 1) - out.get(x - 1, y, 1));
            }
        }
        // neighbouring pixels of a 24-32 px face upsampled to 112 differ far less than in the original
        assertTrue(outVariation < inVariation / 5, outVariation + " vs " + inVariation);
    }

    @Test
    void isRepeatableForASeed() {
        assertArrayEquals(CctvDegradation.poorCamera(9).apply(detailed()).pixels(), CctvDegradation.poorCamera(9).apply(detailed()).pixels());
    }

    @Test
    void areaResizeAveragesBlocks() {
        float[] src = {0, 2, 4, 6, 0, 2, 4, 6};
        assertArrayEquals(new float[] {1, 5}, CctvDegradation.areaResize(src, 4, 2, 2, 1), 1e-6f);
    }
}
