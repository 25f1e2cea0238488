package org.arcstream.core.match;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Short binary codes of a gallery's centroid slots (SimHash: the signs of seeded random projections of the
 * centred centroid), scanned by Hamming distance to find the candidates of a face. The fraction of differing
 * bits estimates the angle between two vectors, so the centroid a face is closest to by cosine is among the
 * few with the fewest differing bits; the caller re-ranks those exactly. A code is {@link #BITS} / 8 bytes
 * per centroid instead of its floats (32 bytes against 2 KB for 512 floats), compared by XOR and
 * {@link Long#bitCount} (one instruction) per 64 bits; a scan reads the first half of every code and the
 * second half of the few thousand closest by the first ({@link #nearest}). Setting a slot's code is O(1): an update is visible
 * to the next scan. Not thread-safe for writes: the owner serializes them against scans; scans may run
 * concurrently.
 */
final class BinaryCodes {

    /**
     * Bits per code (README, "Matching large galleries"). For faces at cosine 0.7 to their identity among
     * 1,000,000 random ones, the spread of the Hamming distance leaves a few hundred random codes ahead of the
     * true one at 128 bits for 1 face in 100, practically none at 256; a scan of a million 512-bit codes (one
     * bit per value, as jvector's binary quantization) took 5.8 ms.
     */
    static final int BITS = 256;
    private static final int WORDS = BITS / Long.SIZE;
    private static final int HALF_BITS = BITS / 2;
    private static final int HALF_WORDS = WORDS / 2;
    /**
     * Slots the first pass keeps for the full distance. A face's own code differs in 32 +- 5 of the first 128
     * bits (cosine 0.7), a random one in 64 +- 6: among a million random codes, the 4,096th closest is near
     * 47, three spreads beyond the face's own; a weaker match (cosine 0.6, 38 +- 5) is still two spreads in.
     * The second pass reads the other 16 bytes of each kept slot: 0.3 ms at a million, the first 0.9 ms.
     */
    static final int HEAD_CANDIDATES = 4_096;
    /**
     * Codes whose distances set the first pass's cut. At a million, about 50 of them lie within the cut aimed at, so
     * it lands on the right bit or one beyond; the distance within which fewer than {@link #HEAD_CANDIDATES} codes lie
     * has about 25 sampled codes, five spreads short of the target. Every sampled code is a cache miss: 16,384 took
     * 0.08 ms of a face's 1.1.
     */
    private static final int CUT_SAMPLE = 8_192;
    /** Free entries below which the first pass's buffer grows before the next stretch of codes. */
    private static final int MIN_ROOM = 1_024;
    /** The projections are the same in every run: the codes of a gallery do not depend on when it was built. */
    private static final long SEED = 0x5EED_C0DEL;

    private final int dimension;
    /**
     * Projection values by dimension: value d of every projection in one array, so that encoding is a SIMD loop. Java
     * 17's compiler does not vectorize a loop whose arrays are read at offsets that differ by a variable: with the
     * values in one flat array, a face took 39 microseconds to encode instead of 8.
     */
    private final float[][] projections;
    private final float[] centre;
    /**
     * The first 128 bits of every code, then the other 128, each in slot order: the first pass reads
     * {@code head} alone, so the codes are split rather than stored whole.
     */
    private long[] head = new long[0];
    private long[] tail = new long[0];

    private BinaryCodes(int dimension, float[][] projections, float[] centre) {
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
        float[][] projections = new float[dimension][BITS];
        for (int b = 0; b < BITS; b++) {
            for (int d = 0; d < dimension; d++) {
                projections[d][b] = rows[b][d];
            }
        }
        return new BinaryCodes(dimension, projections, centre.clone());
    }

    /** Sets the code of {@code slot} to that of {@code vector}; slots without a code have all bits zero. */
    void set(int slot, float[] vector) {
        if ((long) (slot + 1) * HALF_WORDS > head.length) {
            int capacity = Math.max(slot + 1, Math.max(16, head.length / HALF_WORDS + (head.length / HALF_WORDS >> 1)));
            resize(capacity);
        }
        long[] code = new long[WORDS];
        encode(vector, code, 0);
        System.arraycopy(code, 0, head, slot * HALF_WORDS, HALF_WORDS);
        System.arraycopy(code, HALF_WORDS, tail, slot * HALF_WORDS, HALF_WORDS);
    }

    /** Grows the storage once to hold {@code slots} codes, before many are set (possibly in parallel). */
    void reserve(int slots) {
        if ((long) slots * HALF_WORDS > head.length) {
            resize(slots);
        }
    }

    private void resize(int slots) {
        head = Arrays.copyOf(head, slots * HALF_WORDS);
        tail = Arrays.copyOf(tail, slots * HALF_WORDS);
    }

    /**
     * The {@code count} slots below {@code slots} whose codes differ least from the face's, among those that
     * are {@code live}; fewer when there are fewer live slots. In no particular order.
     *
     * <p>Two passes: the first 128 bits of every code keep the {@link #HEAD_CANDIDATES} closest by those bits,
     * ties at the cut included; their full distances then pick the {@code count} closest. The scan is bound by
     * the instructions per code, not by the memory's rate: at a million codes the first pass takes 0.9 ms,
     * where one pass over the whole codes took 1.6 ms.
     */
    int[] nearest(float[] face, int count, int slots, IntPredicate live) {
        long[] q = new long[WORDS];
        encode(face, q, 0);
        long[] candidates = headCandidates(q[0], q[1], slots);
        // the full distances first, in a loop without branches: the reads of scattered codes overlap
        int[] distances = new int[candidates.length];
        long[] t = tail;
        long q2 = q[2], q3 = q[3];
        for (int i = 0; i < candidates.length; i++) {
            int o = (int) candidates[i] * HALF_WORDS;
            distances[i] = (int) (candidates[i] >>> 32) + Long.bitCount(t[o] ^ q2) + Long.bitCount(t[o + 1] ^ q3);
        }
        // a max-heap of (distance, slot) packed into longs: the root is the worst kept, replaced when a closer one comes
        long[] heap = new long[count];
        int size = 0;
        for (int i = 0; i < candidates.length; i++) {
            int s = (int) candidates[i];
            long entry = (long) distances[i] << 32 | s;
            if ((size < count || entry < heap[0]) && live.test(s)) {
                if (size < count) {
                    heap[size] = entry;
                    siftUp(heap, size++);
                } else {
                    heap[0] = entry;
                    siftDown(heap, size);
                }
            }
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = (int) heap[i];
        }
        return out;
    }

    /**
     * Slots whose first 128 bits differ from the face's in at most as many bits as the
     * {@link #HEAD_CANDIDATES}-th closest, each as (distance of those bits, slot) packed into a long.
     *
     * <p>The scan keeps what lies within a fixed cut, estimated beforehand from a sample of the codes with
     * room to spare, and trims to the exact cut at the end (a cut set too tight is widened and the scan
     * repeated). A cut lowered while scanning, or a heap, costs a mispredicted branch and more for each of
     * the tens of thousands of codes that pass a cut still falling: that doubled the scan's time.
     */
    private long[] headCandidates(long q0, long q1, int slots) {
        int cut = slots <= 2 * HEAD_CANDIDATES ? HALF_BITS : sampledCut(q0, q1, slots);
        long[] kept = new long[3 * HEAD_CANDIDATES];
        int size;
        while (true) {
            size = 0;
            // in stretches no longer than the room left, so that the scan's loop needs no check for room
            for (int s = 0; s < slots; ) {
                if (kept.length - size < MIN_ROOM) {
                    kept = Arrays.copyOf(kept, 2 * kept.length);
                }
                int end = Math.min(slots, s + kept.length - size);
                size = keepWithin(head, s, end, q0, q1, cut, kept, size);
                s = end;
            }
            if (size >= HEAD_CANDIDATES || cut >= HALF_BITS) {
                break;
            }
            cut = Math.min(HALF_BITS, cut + 8);
        }
        int[] countByDistance = new int[HALF_BITS + 1];
        for (int i = 0; i < size; i++) {
            countByDistance[(int) (kept[i] >>> 32)]++;
        }
        int exact = distanceReaching(countByDistance, HEAD_CANDIDATES, cut);
        int n = 0;
        for (int i = 0; i < size; i++) {
            if ((int) (kept[i] >>> 32) <= exact) {
                kept[n++] = kept[i];
            }
        }
        return Arrays.copyOf(kept, n);
    }

    /**
     * Appends (distance, slot) for the slots in [{@code from}, {@code to}) within {@code cut} to {@code kept}
     * from {@code size} on; returns the new size. One induction variable, no other branch: with the offset as a
     * second variable beside the slot, or a check for room, the loop ran at half the speed.
     */
    private static int keepWithin(long[] h, int from, int to, long q0, long q1, int cut, long[] kept, int size) {
        for (int s = from; s < to; s++) {
            int d = Long.bitCount(h[2 * s] ^ q0) + Long.bitCount(h[2 * s + 1] ^ q1);
            if (d <= cut) {
                kept[size++] = (long) d << 32 | s;
            }
        }
        return size;
    }

    /**
     * A cut that about one and a half times {@link #HEAD_CANDIDATES} codes lie within, by the distances of evenly
     * spaced codes. Each bit more of cut lets in about 1.6 times as many codes near the 4,096th, so a target of
     * twice kept 8,000 or 13,000 by the sample's noise, and each kept code costs a mispredicted branch; at one and a
     * half it keeps about 8,000. A cut with fewer than {@link #HEAD_CANDIDATES} codes within would need the sample
     * (about 50 codes within the target at a million) three of its spreads off, and then the pass is widened and
     * repeated.
     */
    private int sampledCut(long q0, long q1, int slots) {
        int step = Math.max(1, slots / CUT_SAMPLE);
        int[] countByDistance = new int[HALF_BITS + 1];
        int sampled = 0;
        for (int s = 0; s < slots; s += step, sampled++) {
            int o = s * HALF_WORDS;
            countByDistance[Long.bitCount(head[o] ^ q0) + Long.bitCount(head[o + 1] ^ q1)]++;
        }
        return distanceReaching(countByDistance, 3L * HEAD_CANDIDATES * sampled / (2L * slots), HALF_BITS);
    }

    /** The smallest distance within which at least {@code n} of the counted codes lie, and no more than {@code cap}. */
    private static int distanceReaching(int[] countByDistance, long n, int cap) {
        int d = 0;
        for (long within = countByDistance[0]; d < cap && within < n; within += countByDistance[++d]) {
        }
        return d;
    }

    /** Heap the codes take (the projections aside, which do not grow with the gallery). */
    long bytes() {
        return (long) (head.length + tail.length) * Long.BYTES;
    }

    private void encode(float[] vector, long[] out, int offset) {
        float[] sums = new float[BITS];
        for (int d = 0; d < dimension; d++) {
            float v = vector[d] - centre[d];
            float[] values = projections[d];
            for (int b = 0; b < BITS; b++) {
                sums[b] += values[b] * v;
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
