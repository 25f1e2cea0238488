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

    /** A flat, colourful face-sized image: red mid-tone. */
    private static RgbImage flatRed() {
        byte[] px = new byte[3 * 112 * 112];
        for (int i = 0; i < 112 * 112; i++) {
            px[3 * i] = (byte) 180;
            px[3 * i + 1] = (byte) 100;
            px[3 * i + 2] = (byte) 100;
        }
        return new RgbImage(112, 112, px);
    }

    @Test
    void theOtherCameraKeepsColourAndDarkensMidTones() {
        RgbImage out = CctvDegradation.otherCamera(3).apply(flatRed());
        double red = 0, green = 0;
        for (int y = 20; y < 92; y++) {
            for (int x = 20; x < 92; x++) {
                red += out.get(x, y, 0);
                green += out.get(x, y, 1);
            }
        }
        red /= 72 * 72;
        green /= 72 * 72;
        assertTrue(red > green + 40, "colour kept: red " + red + ", green " + green);
        // gamma 1.5: 100 -> 255 * (100/255)^1.5 = 62.6; 180 -> 151.3 (noise and JPEG move it a little)
        assertEquals(62.6, green, 6);
        assertEquals(151.3, red, 6);
        RgbImage grey = CctvDegradation.poorCamera(3).apply(flatRed());
        assertEquals(grey.get(50, 50, 0), grey.get(50, 50, 1), 2, "the training camera is monochrome");
    }

    @Test
    void theOtherCameraIsRepeatableAndDiffersFromTheTrainingCamera() {
        assertArrayEquals(CctvDegradation.otherCamera(4).apply(detailed()).pixels(), CctvDegradation.otherCamera(4).apply(detailed()).pixels());
        assertTrue(!java.util.Arrays.equals(CctvDegradation.otherCamera(4).apply(detailed()).pixels(),
                CctvDegradation.poorCamera(4).apply(detailed()).pixels()));
        assertTrue(CctvDegradation.otherCamera(4).describe().startsWith("colour, gamma 1.50"));
    }

    @Test
    void aGammaThatIsNotPositiveIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CctvDegradation(24, 32, 0.8, 6, 0.5f, false, 0, 1));
    }

    @Test
    void areaResizeAveragesBlocks() {
        float[] src = {0, 2, 4, 6, 0, 2, 4, 6};
        assertArrayEquals(new float[] {1, 5}, CctvDegradation.areaResize(src, 4, 2, 2, 1), 1e-6f);
    }
}
