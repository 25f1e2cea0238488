package org.arcstream.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

import org.arcstream.core.image.ImageDecodeException.Reason;
import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the image decoding tests. */
final class ImageAssertions {

    private ImageAssertions() {}

    static ImageDecodeException assertReason(Reason reason, Executable call) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        return e;
    }

    /** Same size and exactly the same samples. */
    static void assertSamePixels(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.width() + "x" + expected.height(), actual.width() + "x" + actual.height(), what + ": size");
        assertArrayEquals(expected.pixels(), actual.pixels(), what + ": pixels");
    }

    /** Same size, every sample within {@code maxError}, and the mean error within {@code meanError}. */
    static void assertClosePixels(RgbImage expected, RgbImage actual, int maxError, double meanError, String what) {
        assertEquals(expected.width() + "x" + expected.height(), actual.width() + "x" + actual.height(), what + ": size");
        byte[] e = expected.pixels();
        byte[] a = actual.pixels();
        long sum = 0;
        int worst = 0;
        for (int i = 0; i < e.length; i++) {
            int diff = Math.abs((e[i] & 0xFF) - (a[i] & 0xFF));
            sum += diff;
            worst = Math.max(worst, diff);
        }
        double mean = (double) sum / e.length;
        assertTrue(worst <= maxError && mean <= meanError,
                what + ": largest difference " + worst + " (allowed " + maxError + "), mean " + mean + " (allowed " + meanError + ")");
    }

    static void assertPixel(int r, int g, int b, RgbImage image, int x, int y, int tolerance) {
        String where = " at " + x + "," + y;
        assertEquals(r, image.get(x, y, 0), tolerance, "red" + where);
        assertEquals(g, image.get(x, y, 1), tolerance, "green" + where);
        assertEquals(b, image.get(x, y, 2), tolerance, "blue" + where);
    }

    /**
     * The call must fail with the reason, within two seconds and, where the JVM can measure it, without this
     * thread allocating more than 16 MB: what decoding the crafted header would have cost is far more.
     */
    static ImageDecodeException assertRejectedCheaply(Reason reason, Executable call) {
        var threads = ManagementFactory.getThreadMXBean();
        boolean canMeasure = threads instanceof com.sun.management.ThreadMXBean sun
                && sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled();
        long before = canMeasure ? ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() : 0;
        long start = System.nanoTime();
        ImageDecodeException e = assertReason(reason, call);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_000, "rejection took " + millis + " ms");
        if (canMeasure) {
            long allocated = ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated + " bytes: " + e.getMessage());
        }
        return e;
    }

    /** A committed fixture under {@code org/arcstream/core/image/}. */
    static byte[] resource(String name) {
        try (InputStream in = ImageAssertions.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
