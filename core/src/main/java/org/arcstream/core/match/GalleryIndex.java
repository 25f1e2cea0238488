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
 * from {@code exactScanLimit} identities on, by an approximate nearest-neighbour graph
 * ({@link CentroidGraph}: jvector, walked on product-quantized centroids) whose candidates are
 * re-ranked by their exact cosine, so the best identity, its score and the runner-up score are
 * computed as by {@link CentroidIndex}, over the candidates.
 *
 * <p>Updates never rebuild: a new centroid is encoded with the graph's codebooks and inserted, a removed
 * one is marked deleted, which leaves it out of results at once. A deleted centroid stays in the graph as
 * a waypoint with its vector: jvector's repair of the graph around deleted nodes left the nodes inserted
 * after it unreachable in one of four seeded runs, so it is not used, and a gallery with much churn grows
 * by one centroid per replaced or deleted one until it is built anew (a restart). Thread-safe: matching
 * runs concurrently, an update waits for the matches in flight and is visible to every match that starts
 * after it returns.
 */
public final class GalleryIndex {

    /** Below this many identities a face is matched by scanning every centroid. */
    public static final int DEFAULT_EXACT_SCAN_LIMIT = 20_000;

    private final int dimension;
    private final int exactScanLimit;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Centroid slots: vector and owner by slot; a free slot has neither. */
    private float[][] rows = new float[0][];
    private Identity[] owners = new Identity[0];
    private int slotCount;
    private final Map<String, int[]> slotsById = new HashMap<>();
    /** Slots free for reuse while there is no graph. */
    private int[] free = new int[0];
    private int freeCount;
    private int centroidCount;
    /**
     * The deleted graph nodes of each identity, which keep their vectors: an identity enrolled again with the
     * same centroid gets its node back. A new node with exactly a deleted node's vector would get that node as
     * its only neighbour (every other candidate ties with it in the diversity pruning) and could not be reached.
     */
    private final Map<String, List<Integer>> deletedSlotsById = new HashMap<>();

    /** Created when the gallery first reaches the exact-scan limit, then kept up to date. */
    private CentroidGraph graph;

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
     * normalized copies. Inserting into the graph costs a search, so a bulk load should go through
     * {@link #putAll}, which inserts in parallel.
     */
    public void put(Identity identity, List<float[]> centroids) {
        putAll(Map.of(identity, centroids));
    }

    /** {@link #put} for many identities at once; the graph inserts run on the common fork-join pool. */
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
            List<Integer> added = new ArrayList<>();
            checked.forEach((identity, centroids) -> {
                removeLocked(identity.id());
                if (centroids.isEmpty()) {
                    return;
                }
                int[] slots = new int[centroids.size()];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = revive(identity, centroids.get(i));
                    if (slots[i] < 0) {
                        slots[i] = allocate(identity, centroids.get(i));
                        added.add(slots[i]);
                    }
                }
                slotsById.put(identity.id(), slots);
            });
            if (graph == null && slotsById.size() >= exactScanLimit) {
                int[] all = IntStream.range(0, slotCount).filter(s -> rows[s] != null).toArray();
                graph = CentroidGraph.create(slot -> rows[slot], () -> slotCount, dimension, all);
                graph.insert(all);
            } else if (graph != null) {
                graph.insert(added.stream().mapToInt(Integer::intValue).toArray());
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
                for (int slot : graph.candidates(embedding)) {
                    if (owners[slot] != null) {
                        ranking.offer(owners[slot], Dot.dot(rows[slot], 0, embedding));
                    }
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

    /** Whether faces are matched through the graph (the gallery has reached the exact-scan limit). */
    public boolean approximate() {
        lock.readLock().lock();
        try {
            return approximateLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean approximateLocked() {
        return graph != null && slotsById.size() >= exactScanLimit;
    }

    /** Whether the graph is walked on quantized centroids (it started with enough of them to learn codebooks). */
    boolean quantized() {
        lock.readLock().lock();
        try {
            return graph != null && graph.quantized();
        } finally {
            lock.readLock().unlock();
        }
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

    /**
     * Bytes the graph holds beyond the centroid vectors (neighbour lists, quantized centroids and
     * bookkeeping); 0 without a graph.
     */
    public long graphBytes() {
        lock.readLock().lock();
        try {
            return graph == null ? 0 : graph.bytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    private int allocate(Identity owner, float[] centroid) {
        int slot;
        if (graph == null && freeCount > 0) {
            slot = free[--freeCount];
        } else {
            // a deleted graph node keeps its id
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
        return slot;
    }

    /** The identity's deleted graph node with exactly this centroid, restored; -1 when there is none. */
    private int revive(Identity identity, float[] centroid) {
        List<Integer> deleted = graph == null ? null : deletedSlotsById.get(identity.id());
        if (deleted == null) {
            return -1;
        }
        for (int i = 0; i < deleted.size(); i++) {
            int slot = deleted.get(i);
            if (Arrays.equals(rows[slot], centroid)) {
                deleted.remove(i);
                if (deleted.isEmpty()) {
                    deletedSlotsById.remove(identity.id());
                }
                graph.restore(slot);
                owners[slot] = identity;
                centroidCount++;
                return slot;
            }
        }
        return -1;
    }

    private boolean removeLocked(String identityId) {
        int[] slots = slotsById.remove(identityId);
        if (slots == null) {
            return false;
        }
        for (int slot : slots) {
            owners[slot] = null;
            centroidCount--;
            if (graph != null) {
                // the graph still routes through it, so its vector stays
                graph.markDeleted(slot);
                deletedSlotsById.computeIfAbsent(identityId, id -> new ArrayList<>()).add(slot);
            } else {
                rows[slot] = null;
                release(slot);
            }
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
