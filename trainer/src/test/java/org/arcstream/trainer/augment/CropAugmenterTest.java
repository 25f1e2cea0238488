package org.arcstream.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Each augmentation operation on small synthetic images whose expected change is known. */
class CropAugmenterTest {

    private static final TrainingAugmentation ALL = new TrainingAugmentation(0.1, 0.3, 0.5, 1.5, 8, 0.3);

    /** A colour test picture: horizontal red ramp, vertical green ramp, a blue square. */
    private static RgbImage picture(int size) {
        byte[] px = new byte[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = 3 * (y * size + x);
                px[i] = (byte) (40 + 170 * x / size);
                px[i + 1] = (byte) (40 + 170 * y / size);
                px[i + 2] = (byte) (x > size / 3 && x < 2 * size / 3 && y > size / 3 && y < 2 * size / 3 ? 220 : 30);
            }
        }
        return new RgbImage(size, size, px);
    }

    private static RgbImage flat(int size, int r, int g, int b) {
        byte[] px = new byte[3 * size * size];
        for (int i = 0; i < size * size; i++) {
            px[3 * i] = (byte) r;
            px[3 * i + 1] = (byte) g;
            px[3 * i + 2] = (byte) b;
        }
        return new RgbImage(size, size, px);
    }

    private static int at(RgbImage image, int x, int y, int c) {
        return image.pixels()[3 * (y * image.width() + x) + c] & 0xFF;
    }

    private static double mean(RgbImage image) {
        double sum = 0;
        for (byte b : image.pixels()) {
            sum += b & 0xFF;
        }
        return sum / image.pixels().length;
    }

    private static double meanAbsoluteDifference(RgbImage a, RgbImage b) {
        double sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        }
        return sum / a.pixels().length;
    }

    @Test
    void theSameSeedEpochAndIndexGiveTheSameViewAndAnyOtherGivesAnother() {
        RgbImage crop = picture(112);
        RgbImage view = new CropAugmenter(ALL, 1).apply(crop, 0, 7);
        assertArrayEquals(view.pixels(), new CropAugmenter(ALL, 1).apply(crop, 0, 7).pixels());
        assertFalse(java.util.Arrays.equals(view.pixels(), crop.pixels()), "the view is changed");
        assertFalse(java.util.Arrays.equals(view.pixels(), new CropAugmenter(ALL, 1).apply(crop, 1, 7).pixels()), "another epoch");
        assertFalse(java.util.Arrays.equals(view.pixels(), new CropAugmenter(ALL, 1).apply(crop, 0, 8).pixels()), "another crop index");
        assertFalse(java.util.Arrays.equals(view.pixels(), new CropAugmenter(ALL, 2).apply(crop, 0, 7).pixels()), "another seed");
        assertEquals(112, view.width());
        assertEquals(112, view.height());
    }

    @Test
    void noAugmentationLeavesTheCropAsItIsAndNoOperationChangesItsInput() {
        RgbImage crop = picture(32);
        assertSame(crop, new CropAugmenter(TrainingAugmentation.NONE, 1).apply(crop, 3, 4));
        byte[] before = crop.pixels().clone();
        new CropAugmenter(ALL, 1).apply(crop, 0, 0);
        assertArrayEquals(before, crop.pixels(), "the training crop itself is never modified");
        // nor is the input of any single operation (each returns a new image)
        CropAugmenter.recrop(crop, 1.1, 0.05, 0.05);
        CropAugmenter.jitter(crop, 1.2, 0.8, 0.5);
        CropAugmenter.grayscale(crop);
        CropAugmenter.blur(crop, 1.5);
        CropAugmenter.noise(crop, 8, new SplittableRandom(1));
        CropAugmenter.jpeg(crop, 0.3f);
        assertArrayEquals(before, crop.pixels(), "an operation modified its input");
    }

    @Test
    void recropScalesAboutTheCentreAndShifts() {
        RgbImage crop = picture(64);
        assertArrayEquals(crop.pixels(), CropAugmenter.recrop(crop, 1, 0, 0).pixels(), "scale 1 and no shift is the identity");
        // a shift of 1/8 of the size moves the picture 8 pixels right: output x shows input x - 8
        RgbImage shifted = CropAugmenter.recrop(crop, 1, 0.125, 0);
        for (int x = 8; x < 64; x++) {
            assertEquals(at(crop, x - 8, 20, 0), at(shifted, x, 20, 0), "x = " + x);
        }
        assertEquals(0, at(shifted, 3, 20, 0), "zero where the source is left, as the aligner pads");
        // zoom in by 2: a point at distance d from the centre moves to 2d, so the red ramp rises half as fast per pixel
        RgbImage zoomed = CropAugmenter.recrop(crop, 2, 0, 0);
        double slope = (at(crop, 40, 10, 0) - at(crop, 24, 10, 0)) / 16.0;
        double zoomedSlope = (at(zoomed, 40, 10, 0) - at(zoomed, 24, 10, 0)) / 16.0;
        assertEquals(slope / 2, zoomedSlope, 0.1 * slope);
        // zoom out to 0.5: the border becomes black padding, the centre stays
        RgbImage smaller = CropAugmenter.recrop(crop, 0.5, 0, 0);
        assertEquals(0, at(smaller, 2, 2, 0));
        assertEquals(at(crop, 32, 32, 2), at(smaller, 32, 32, 2), 40);
    }

    @Test
    void jitterChangesBrightnessContrastAndSaturation() {
        RgbImage grey = flat(8, 100, 100, 100);
        assertEquals(120, at(CropAugmenter.jitter(grey, 1.2, 1, 1), 0, 0, 0), 1, "brightness multiplies");
        RgbImage colour = picture(32);
        RgbImage desaturated = CropAugmenter.jitter(colour, 1, 1, 0);
        for (int i = 0; i < 32 * 32; i++) {
            assertEquals(desaturated.pixels()[3 * i], desaturated.pixels()[3 * i + 1], "saturation 0 leaves grey");
            assertEquals(desaturated.pixels()[3 * i], desaturated.pixels()[3 * i + 2]);
        }
        RgbImage noContrast = CropAugmenter.jitter(colour, 1, 0, 1);
        assertEquals(at(noContrast, 0, 0, 0), at(noContrast, 31, 31, 0), 1, "contrast 0 flattens to the mean");
        RgbImage greyRamp = CropAugmenter.grayscale(colour);
        assertEquals(mean(greyRamp), mean(CropAugmenter.jitter(greyRamp, 1, 0.5, 1)), 1, "contrast keeps the mean grey");
    }

    @Test
    void grayscaleMakesEveryPixelGreyAndFollowsItsProbability() {
        RgbImage grey = CropAugmenter.grayscale(picture(16));
        for (int i = 0; i < 16 * 16; i++) {
            assertEquals(grey.pixels()[3 * i], grey.pixels()[3 * i + 1]);
            assertEquals(grey.pixels()[3 * i], grey.pixels()[3 * i + 2]);
        }
        TrainingAugmentation half = new TrainingAugmentation(0, 0, 0.5, 0, 0, 0);
        int turned = 0;
        for (int i = 0; i < 400; i++) {
            RgbImage view = new CropAugmenter(half, 9).apply(picture(8), 0, i);
            turned += view.pixels()[0] == view.pixels()[2] ? 1 : 0;
        }
        assertTrue(turned > 140 && turned < 260, "about half of the crops are turned grey: " + turned);
        TrainingAugmentation always = new TrainingAugmentation(0, 0, 1, 0, 0, 0);
        RgbImage view = new CropAugmenter(always, 9).apply(picture(8), 0, 0);
        assertArrayEquals(grey(picture(8)), view.pixels());
    }

    private static byte[] grey(RgbImage image) {
        return CropAugmenter.grayscale(image).pixels();
    }

    @Test
    void blurSmoothsEdgesAndKeepsTheMean() {
        byte[] px = new byte[3 * 16 * 16];
        for (int i = 0; i < 16 * 16; i++) {
            byte v = (byte) ((i % 16 + i / 16) % 2 == 0 ? 200 : 50);
            px[3 * i] = v;
            px[3 * i + 1] = v;
            px[3 * i + 2] = v;
        }
        RgbImage checker = new RgbImage(16, 16, px);
        RgbImage blurred = CropAugmenter.blur(checker, 1.5);
        assertTrue(Math.abs(at(blurred, 8, 8, 0) - 125) < 15, "a checkerboard blurs to its mean: " + at(blurred, 8, 8, 0));
        assertEquals(mean(checker), mean(blurred), 2);
        assertArrayEquals(checker.pixels(), CropAugmenter.blur(checker, 0).pixels(), "sigma 0 changes nothing");
    }

    @Test
    void noiseHasTheGivenSpreadAndStaysGreyOnAGreyCrop() {
        RgbImage grey = flat(64, 128, 128, 128);
        RgbImage noisy = CropAugmenter.noise(grey, 8, new SplittableRandom(3));
        double sq = 0;
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(noisy.pixels()[3 * i], noisy.pixels()[3 * i + 1], "grey noise on a grey crop");
            assertEquals(noisy.pixels()[3 * i], noisy.pixels()[3 * i + 2]);
            double d = (noisy.pixels()[3 * i] & 0xFF) - 128;
            sq += d * d;
        }
        assertEquals(8, Math.sqrt(sq / (64 * 64)), 0.5);
        RgbImage colour = CropAugmenter.noise(flat(16, 128, 100, 90), 8, new SplittableRandom(3));
        int differ = 0;
        for (int i = 0; i < 16 * 16; i++) {
            differ += (colour.pixels()[3 * i] & 0xFF) - 128 != (colour.pixels()[3 * i + 1] & 0xFF) - 100 ? 1 : 0;
        }
        assertTrue(differ > 100, "each channel of a colour crop gets its own noise");
    }

    @Test
    void jpegLosesMoreAtALowerQuality() {
        RgbImage crop = picture(64);
        double low = meanAbsoluteDifference(crop, CropAugmenter.jpeg(crop, 0.1f));
        double high = meanAbsoluteDifference(crop, CropAugmenter.jpeg(crop, 0.95f));
        assertTrue(low > 0 && high < low, "quality 0.1 differs by " + low + ", 0.95 by " + high);
        assertEquals(64, CropAugmenter.jpeg(crop, 0.5f).width());
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheOptionNamed() {
        assertThrows(IllegalArgumentException.class, () -> new TrainingAugmentation(0.6, 0, 0, 0, 0, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingAugmentation(0, 0, 1.5, 0, 0, 0))
                .getMessage().contains("grayscale"));
        assertThrows(IllegalArgumentException.class, () -> new TrainingAugmentation(0, -0.1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingAugmentation(0, 0, 0, Double.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingAugmentation(0, 0, 0, 0, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingAugmentation(0, 0, 0, 0, 0, 1.5));
        assertTrue(TrainingAugmentation.NONE.isNone());
        assertFalse(new TrainingAugmentation(0, 0, 0, 0, 0, 0.3).isNone());
    }
}
