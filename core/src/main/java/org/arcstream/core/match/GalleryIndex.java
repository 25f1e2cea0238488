package org.arcstream.core.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.arcstream.core.embed.Embeddings;

/**
 * The live gallery of one model version: identity centroids that change one identity at a time
 * (enrollment, deletion) while faces are matched. Small galleries are matched by an exact scan;
 * from {@code exactScanLimit} identities on, candidates come from a scan of short binary codes
 * ({@link BinaryCodes}) and are re-ranked by their exact cosine, so the best identity, its score and the
 * runner-up score are computed as by {@link CentroidIndex}, over the candidates.
 *
 * <p>Updates never rebuild: a new centroid's code is computed and stored in its slot, a removed one's slot
 * is freed for the next centroid, both at once. Thread-safe: matching runs concurrently, an update waits for
 * the matches in flight and is visible to every match that starts after it returns.
 */
public final class GalleryIndex {

    /** Below this many identities a face is matched by scanning every centroid. */
    public static final int DEFAULT_EXACT_SCAN_LIMIT = 20_000;
    /**
     * Centroids re-ranked exactly per face. With 256-bit codes a face's own centroid (cosine 0.7) is among
     * the closest few codes of 1,000,000 random ones; 64 leave room for real embeddings, which lie closer to
     * each other than random vectors, at 64 reads of 2 KB.
     */
    static final int CANDIDATES = 64;
    /** Codes are centred on the mean centroid when at least this many are there to take it from; else not centred. */
    static final int MIN_CENTRE_SAMPLE = 1_000;

    private final int dimension;
    private final int exactScanLimit;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Centroid slots: vector and owner by slot; a free slot has neither. */
    private float[][] rows = new float[0][];
    private Identity[] owners = new Identity[0];
    private int slotCount;
    private final Map<String, int[]> slotsById = new HashMap<>();
    private int[] free = new int[0];
    private int freeCount;
    private int centroidCount;

    /** Written by {@link #touchRows} so that the compiler keeps its reads; never read, so a racy write is harmless. */
    @SuppressWarnings("unused")
    private float touched;

    /** Made when the gallery first reaches the exact-scan limit, then kept up to date. */
    private BinaryCodes codes;

    /**
     * @param dimension length of the model version's embeddings; every centroid must have it
     * @param exactScanLimit galleries with fewer identities are scanned exactly
     */
    public GalleryIndex(int dimension, int exactScanLimit) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
        }
        if (exactScanLimit < 0) {
            throw new IllegalArgumentException("exact-scan limit must not be negative, got " + exactScanLimit);
        }
        this.dimension = dimension;
        this.exactScanLimit = exactScanLimit;
    }

    /**
     * Sets (or replaces) every centroid of one identity; an empty list removes it. Centroids are
     * normalized copies.
     */
    public void put(Identity identity, List<float[]> centroids) {
        putAll(Map.of(identity, centroids));
    }

    /** {@link #put} for many identities at once; the first coding of a large gallery runs on the common fork-join pool. */
    public void putAll(Map<Identity, List<float[]>> centroidsByIdentity) {
        Map<Identity, List<float[]>> checked = new HashMap<>();
        centroidsByIdentity.forEach((identity, centroids) -> {
            List<float[]> normalized = new ArrayList<>();
            for (float[] c : centroids) {
                if (c.length != dimension) {
                    throw new IllegalArgumentException("centroid of " + identity.id() + " has " + c.length
                            + " values, the gallery " + dimension);
                }
                normalized.add(Embeddings.normalize(c.clone()));
            }
            checked.put(identity, normalized);
        });
        lock.writeLock().lock();
        try {
            checked.forEach((identity, centroids) -> {
                removeLocked(identity.id());
                if (centroids.isEmpty()) {
                    return;
                }
                int[] slots = new int[centroids.size()];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = allocate(identity, centroids.get(i));
                }
                slotsById.put(identity.id(), slots);
            });
            if (codes == null && slotsById.size() >= exactScanLimit) {
                codes = BinaryCodes.create(dimension, meanCentroid());
                codes.reserve(slotCount);
                // encoding is a few microseconds per centroid: a million take seconds on two cores
                IntStream.range(0, slotCount).parallel().filter(s -> rows[s] != null).forEach(s -> codes.set(s, rows[s]));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes an identity; false when it was not there. */
    public boolean remove(String identityId) {
        lock.writeLock().lock();
        try {
            return removeLocked(identityId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Scores a normalized embedding; known only when the best score reaches the threshold. */
    public MatchResult match(float[] embedding, float threshold) {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " values, the gallery " + dimension);
        }
        lock.readLock().lock();
        try {
            Ranking ranking = new Ranking();
            if (approximateLocked()) {
                int[] candidates = codes.nearest(embedding, CANDIDATES, slotCount, s -> owners[s] != null);
                touchRows(candidates);
                for (int slot : candidates) {
                    ranking.offer(owners[slot], Dot.dot(rows[slot], 0, embedding));
                }
            } else {
                for (int s = 0; s < slotCount; s++) {
                    if (owners[s] != null) {
                        ranking.offer(owners[s], Dot.dot(rows[s], 0, embedding));
                    }
                }
            }
            return ranking.result(threshold);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Reads the first value of each candidate's row before any is scored. The rows lie scattered over gigabytes:
     * scored one after the other, each waits for its own misses (the row's reference, its first line, its page),
     * since one dot product is longer than the processor looks ahead. Touched in a short loop first, the misses of
     * all candidates are in flight together: re-ranking 64 at a million identities took 0.04 instead of 0.1 ms.
     */
    private void touchRows(int[] slots) {
        float sum = 0;
        for (int slot : slots) {
            sum += rows[slot][0];
        }
        touched = sum;
    }

    /** Whether faces are matched through the binary codes (the gallery has reached the exact-scan limit). */
    public boolean approximate() {
        lock.readLock().lock();
        try {
            return approximateLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean approximateLocked() {
        return codes != null && slotsById.size() >= exactScanLimit;
    }

    public int identities() {
        lock.readLock().lock();
        try {
            return slotsById.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int centroids() {
        lock.readLock().lock();
        try {
            return centroidCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int dimension() {
        return dimension;
    }

    /** Copies of the centroids of one identity; empty when it is not in the gallery. */
    public List<float[]> centroids(String identityId) {
        lock.readLock().lock();
        try {
            List<float[]> out = new ArrayList<>();
            for (int slot : slotsById.getOrDefault(identityId, new int[0])) {
                out.add(rows[slot].clone());
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes the binary codes take (the centroids aside); 0 while the gallery is scanned exactly. */
    public long codeBytes() {
        lock.readLock().lock();
        try {
            return codes == null ? 0 : codes.bytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    private int allocate(Identity owner, float[] centroid) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (slotCount == rows.length) {
                int capacity = Math.max(16, rows.length + (rows.length >> 1));
                rows = Arrays.copyOf(rows, capacity);
                owners = Arrays.copyOf(owners, capacity);
            }
            slot = slotCount++;
        }
        rows[slot] = centroid;
        owners[slot] = owner;
        centroidCount++;
        if (codes != null) {
            codes.set(slot, centroid);
        }
        return slot;
    }

    /** The mean of the centroids, the centre of the codes; zero when there are too few for a stable mean. */
    private float[] meanCentroid() {
        float[] mean = new float[dimension];
        if (centroidCount < MIN_CENTRE_SAMPLE) {
            return mean;
        }
        for (int s = 0; s < slotCount; s++) {
            if (rows[s] != null) {
                for (int d = 0; d < dimension; d++) {
                    mean[d] += rows[s][d];
                }
            }
        }
        for (int d = 0; d < dimension; d++) {
            mean[d] /= centroidCount;
        }
        return mean;
    }

    private boolean removeLocked(String identityId) {
        int[] slots = slotsById.remove(identityId);
        if (slots == null) {
            return false;
        }
        for (int slot : slots) {
            // the slot's code stays until the slot is reused; the scan passes over slots without an owner
            owners[slot] = null;
            rows[slot] = null;
            centroidCount--;
            release(slot);
        }
        return true;
    }

    private void release(int slot) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, Math.max(16, free.length * 2));
        }
        free[freeCount++] = slot;
    }
}
