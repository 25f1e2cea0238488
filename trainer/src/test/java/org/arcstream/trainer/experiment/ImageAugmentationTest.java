package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {

    private static final int SIDE = 5;

    /** A 5x5 image whose pixel (r, c) holds 10 r + c + 1, so that every pixel tells where it came from. */
    private static byte[] numbered() {
        byte[] image = new byte[SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                image[r * SIDE + c] = (byte) (10 * r + c + 1);
            }
        }
        return image;
    }

    /** The source shifted by (dy, dx), background moving in, then mirrored left-right when asked. */
    private static byte[] expected(byte[] source, int dy, int dx, boolean mirrored) {
        byte[] shifted = new byte[SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                int sr = r - dy, sc = c - dx;
                shifted[r * SIDE + c] = sr >= 0 && sr < SIDE && sc >= 0 && sc < SIDE ? source[sr * SIDE + sc] : 0;
            }
        }
        if (!mirrored) {
            return shifted;
        }
        byte[] out = new byte[SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                out[r * SIDE + c] = shifted[r * SIDE + SIDE - 1 - c];
            }
        }
        return out;
    }

    @Test
    void everyImageIsTheSourceShiftedByAtMostTheLimitAndMirroredOnlyWhenAsked() {
        Random random = new Random(7);
        byte[] source = numbered();
        for (boolean mirror : new boolean[] {false, true}) {
            ImageAugmentation augmentation = new ImageAugmentation(2, mirror);
            Set<String> drawn = new HashSet<>();
            for (int draw = 0; draw < 400; draw++) {
                byte[] out = new byte[SIDE * SIDE];
                augmentation.apply(source, 0, out, 0, SIDE, SIDE, random);
                Set<String> matches = new HashSet<>();
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        for (boolean mirrored : new boolean[] {false, true}) {
                            if (java.util.Arrays.equals(expected(source, dy, dx, mirrored), out)) {
                                matches.add(dy + "," + dx + "," + mirrored);
                            }
                        }
                    }
                }
                assertEquals(1, matches.size(), "one shift of at most 2 pixels, mirrored or not: " + java.util.Arrays.toString(out));
                drawn.addAll(matches);
            }
            // every shift is drawn, mirrored half of the time only when asked
            assertEquals(mirror ? 50 : 25, drawn.size(), drawn.toString());
            assertTrue(mirror || drawn.stream().noneMatch(d -> d.endsWith("true")), drawn.toString());
        }
    }

    @Test
    void noneLeavesTheBatchAsItWas() {
        Random random = new Random(1);
        byte[] pixels = new byte[3 * 28 * 28];
        random.nextBytes(pixels);
        LabeledImages images = new LabeledImages(28, 28, pixels, new int[] {0, 1, 2});
        int[] indices = {2, 0};
        assertArrayEquals(images.batch(indices), images.batch(indices, ImageAugmentation.NONE, new Random(3)));
        float[] changed = images.batch(indices, new ImageAugmentation(2, true), new Random(3));
        assertArrayEquals(changed, images.batch(indices, new ImageAugmentation(2, true), new Random(3)), "the same seed, the same draws");
        assertTrue(!java.util.Arrays.equals(images.batch(indices), changed));
    }

    @Test
    void shiftsBeyondTheLimitAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(-1, false));
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(ImageAugmentation.MAX_SHIFT + 1, false));
    }
}
