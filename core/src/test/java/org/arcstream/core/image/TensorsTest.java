package org.arcstream.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The detector's one-pass input is exactly the resize followed by the planar conversion. */
class TensorsTest {

    @Test
    void resizedChwIsResizeThenToChwValueForValue() {
        int[][] sizes = {{250, 250}, {640, 480}, {97, 131}, {320, 240}, {1, 1}, {2000, 90}};
        long seed = 1;
        for (int[] size : sizes) {
            RgbImage image = TestImages.texture(size[0], size[1], seed++);
            float[] expected = Tensors.toChw(ImageOps.resize(image, 320, 240), 127f, 128f);
            assertArrayEquals(expected, Tensors.resizedChw(image, 320, 240, 127f, 128f), size[0] + "x" + size[1]);
            float[] other = Tensors.toChw(ImageOps.resize(image, 64, 48), 127.5f, 1f);
            assertArrayEquals(other, Tensors.resizedChw(image, 64, 48, 127.5f, 1f), size[0] + "x" + size[1] + " to 64x48");
        }
    }

    @Test
    void refusesAnEmptyTarget() {
        RgbImage image = TestImages.texture(8, 8, 3);
        assertThrows(IllegalArgumentException.class, () -> Tensors.resizedChw(image, 0, 240, 127f, 128f));
    }
}
