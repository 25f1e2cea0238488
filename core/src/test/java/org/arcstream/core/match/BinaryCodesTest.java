package org.arcstream.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.arcstream.core.embed.Embeddings;
import org.junit.jupiter.api.Test;

/** The two-pass scan of the codes: first 128 bits of every code, then the full codes of the closest. */
class BinaryCodesTest {

    private static final int DIMENSION = 64;

    private static float[] random(Random random) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return Embeddings.normalize(v);
    }

    /** A unit vector at cosine {@code cosine} to {@code to}. */
    private static float[] near(Random random, float[] to, double cosine) {
        float[] noise = random(random);
        float dot = Dot.dot(noise, 0, to);
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = noise[d] - dot * to[d];
        }
        Embeddings.normalize(v);
        double sine = Math.sqrt(1 - cosine * cosine);
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) (cosine * to[d] + sine * v[d]);
        }
        return v;
    }

    private static Set<Integer> set(int[] slots) {
        return Arrays.stream(slots).boxed().collect(Collectors.toSet());
    }

    private static BinaryCodes codes(int slots, IntFunction<float[]> vectorOfSlot) {
        BinaryCodes codes = BinaryCodes.create(DIMENSION, new float[DIMENSION]);
        for (int s = 0; s < slots; s++) {
            codes.set(s, vectorOfSlot.apply(s));
        }
        return codes;
    }

    @Test
    void theClosestCodesOfALargeGalleryAreFound() {
        Random random = new Random(7);
        int slots = 30_000;
        float[] face = random(random);
        Set<Integer> planted = IntStream.range(0, 64).map(i -> 1 + i * 457).boxed().collect(Collectors.toSet());
        BinaryCodes codes = codes(slots, s -> planted.contains(s) ? near(random, face, 0.9) : random(random));
        assertEquals(planted, set(codes.nearest(face, 64, slots, s -> true)));
        // slots that are not live are passed over, their places taken by the next closest
        Set<Integer> found = set(codes.nearest(face, 64, slots, s -> s != 1));
        assertEquals(64, found.size());
        assertTrue(!found.contains(1) && found.containsAll(planted.stream().filter(s -> s != 1).toList()), found.toString());
    }

    @Test
    void aCutSetTooTightByTheSampleIsWidened() {
        // the sample reads every third code: here those are exactly the codes close to the face, so by the
        // sample's count far fewer codes lie within its cut than the first pass must keep
        Random random = new Random(8);
        int slots = 60_000;
        float[] face = random(random);
        BinaryCodes codes = codes(slots, s -> s % 3 == 0 ? near(random, face, 0.9) : near(random, face, -0.5));
        int wanted = BinaryCodes.HEAD_CANDIDATES;
        int[] found = codes.nearest(face, wanted, slots, s -> true);
        assertEquals(wanted, found.length);
        assertTrue(Arrays.stream(found).allMatch(s -> s % 3 == 0));
    }

    @Test
    void manyCodesAlikeAreAllKeptAtTheCut() {
        Random random = new Random(9);
        int slots = 4 * BinaryCodes.HEAD_CANDIDATES + 1;
        float[] same = random(random);
        BinaryCodes codes = BinaryCodes.create(DIMENSION, new float[DIMENSION]);
        codes.reserve(slots);
        for (int s = 0; s < slots - 1; s++) {
            codes.set(s, same);
        }
        float[] face = random(random);
        codes.set(slots - 1, face);
        int[] found = codes.nearest(face, 64, slots, s -> true);
        assertEquals(64, found.length);
        assertTrue(set(found).contains(slots - 1));
    }
}
