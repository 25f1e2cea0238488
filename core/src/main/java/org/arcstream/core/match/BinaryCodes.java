package org.arcstream.core.match;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Short binary codes of a gallery's centroid slots (SimHash: the signs of seeded random projections of the
 * centred centroid), scanned by Hamming distance to find the candidates of a face. The fraction of differing
 * bits estimates the angle between two vectors, so the centroid a face is closest to by cosine is among the
 * few with the fewest differing bits; the caller re-ranks those exactly. A scan reads {@link #BITS} / 8
 * bytes per centroid instead of its floats (32 bytes against 2 KB for 512 floats), XOR and
 * {@link Long#bitCount} (one instruction) per 64 bits. Setting a slot's code is O(1): an update is visible
 * to the next scan. Not thread-safe for writes: the owner serializes them against scans; scans may run
 * concurrently.
 */
final class BinaryCodes {

    /**
     * Bits per code (README, "Matching large galleries"). For faces at cosine 0.7 to their identity among
     * 1,000,000 random ones, the spread of the Hamming distance leaves a few hundred random codes ahead of the
     * true one at 128 bits for 1 face in 100, practically none at 256; a scan of a million 256-bit codes took
     * 1.29 ms, of 512-bit ones (one bit per value, as jvector's binary quantization) 5.8 ms.
     */
    static final int BITS = 256;
    private static final int WORDS = BITS / Long.SIZE;
    /** The projections are the same in every run: the codes of a gallery do not depend on when it was built. */
    private static final long SEED = 0x5EED_C0DEL;

    private final int dimension;
    /** Projection values dimension-major: value d of every projection side by side, so encoding is a SIMD loop. */
    private final float[] projections;
    private final float[] centre;
    private long[] codes = new long[0];

    private BinaryCodes(int dimension, float[] projections, float[] centre) {
        this.dimension = dimension;
        this.projections = projections;
        this.centre = centre;
    }

    /**
     * Codes for centroids of {@code dimension} values, centred on {@code centre} (the mean of the gallery's
     * centroids: embeddings of one model share a common direction, which would set most bits alike).
     */
    static BinaryCodes create(int dimension, float[] centre) {
        if (centre.length != dimension) {
            throw new IllegalArgumentException("centre has " + centre.length + " values, the codes " + dimension);
        }
        Random random = new Random(SEED);
        float[][] rows = new float[BITS][dimension];
        for (int b = 0; b < BITS; b++) {
            for (int d = 0; d < dimension; d++) {
                rows[b][d] = (float) random.nextGaussian();
            }
            // orthogonal to the earlier rows of its group of `dimension` (as many as can be): the bits of
            // orthogonal projections are independent, which narrows the spread of the Hamming distance
            for (int earlier = b - b % dimension; earlier < b; earlier++) {
                float dot = Dot.dot(rows[earlier], 0, rows[b]);
                for (int d = 0; d < dimension; d++) {
                    rows[b][d] -= dot * rows[earlier][d];
                }
            }
            float norm = (float) Math.sqrt(Dot.dot(rows[b], 0, rows[b]));
            for (int d = 0; d < dimension; d++) {
                rows[b][d] /= norm;
            }
        }
        float[] projections = new float[BITS * dimension];
        for (int b = 0; b < BITS; b++) {
            for (int d = 0; d < dimension; d++) {
                projections[d * BITS + b] = rows[b][d];
            }
        }
        return new BinaryCodes(dimension, projections, centre.clone());
    }

    /** Sets the code of {@code slot} to that of {@code vector}; slots without a code have all bits zero. */
    void set(int slot, float[] vector) {
        if ((long) (slot + 1) * WORDS > codes.length) {
            int capacity = Math.max(slot + 1, Math.max(16, codes.length / WORDS + (codes.length / WORDS >> 1)));
            codes = Arrays.copyOf(codes, capacity * WORDS);
        }
        encode(vector, codes, slot * WORDS);
    }

    /** Grows the storage once to hold {@code slots} codes, before many are set (possibly in parallel). */
    void reserve(int slots) {
        if ((long) slots * WORDS > codes.length) {
            codes = Arrays.copyOf(codes, slots * WORDS);
        }
    }

    /**
     * The {@code count} slots below {@code slots} whose codes differ least from the face's, among those that
     * are {@code live}; fewer when there are fewer live slots. In no particular order.
     */
    int[] nearest(float[] face, int count, int slots, IntPredicate live) {
        long[] q = new long[WORDS];
        encode(face, q, 0);
        // a max-heap of (distance, slot) packed into longs: the root is the worst kept, replaced when a closer one comes
        long[] heap = new long[count];
        int size = 0;
        int worst = Integer.MAX_VALUE;
        long[] c = codes;
        long q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
        for (int s = 0, o = 0; s < slots; s++, o += WORDS) {
            // unrolled for the four words of a code: the JIT keeps the loop free of an inner loop's bookkeeping,
            // which would halve its speed
            int d = Long.bitCount(c[o] ^ q0) + Long.bitCount(c[o + 1] ^ q1) + Long.bitCount(c[o + 2] ^ q2)
                    + Long.bitCount(c[o + 3] ^ q3);
            if (d < worst && live.test(s)) {
                long entry = (long) d << 32 | s;
                if (size < count) {
                    heap[size] = entry;
                    siftUp(heap, size++);
                    if (size == count) {
                        worst = (int) (heap[0] >>> 32);
                    }
                } else {
                    heap[0] = entry;
                    siftDown(heap, size);
                    worst = (int) (heap[0] >>> 32);
                }
            }
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = (int) heap[i];
        }
        return out;
    }

    /** Heap the codes take (the projections aside, which do not grow with the gallery). */
    long bytes() {
        return (long) codes.length * Long.BYTES;
    }

    private void encode(float[] vector, long[] out, int offset) {
        float[] sums = new float[BITS];
        for (int d = 0; d < dimension; d++) {
            float v = vector[d] - centre[d];
            for (int b = 0, p = d * BITS; b < BITS; b++) {
                sums[b] += projections[p + b] * v;
            }
        }
        for (int w = 0; w < WORDS; w++) {
            long word = 0;
            for (int b = 0; b < Long.SIZE; b++) {
                if (sums[w * Long.SIZE + b] > 0) {
                    word |= 1L << b;
                }
            }
            out[offset + w] = word;
        }
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >> 1;
            if (heap[parent] >= heap[i]) {
                return;
            }
            swap(heap, parent, i);
            i = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1, largest = i;
            if (left < size && heap[left] > heap[largest]) {
                largest = left;
            }
            if (left + 1 < size && heap[left + 1] > heap[largest]) {
                largest = left + 1;
            }
            if (largest == i) {
                return;
            }
            swap(heap, i, largest);
            i = largest;
        }
    }

    private static void swap(long[] heap, int a, int b) {
        long t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
