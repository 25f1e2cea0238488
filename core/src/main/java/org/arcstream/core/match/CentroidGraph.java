package org.arcstream.core.match;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.quantization.MutablePQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The approximate-nearest-neighbour graph over a gallery's centroid slots (jvector, a Vamana/HNSW graph).
 * A large graph is walked on product-quantized copies of the centroids: 64 bytes per 512-float centroid
 * (one byte per 8 values), scored from a per-face table, where the full 2 KB centroid of every visited node
 * would be a read from main memory (a million centroids are 2 GB). The candidates it returns are
 * re-ranked by the caller with their exact cosine. The codebooks are learned once, from the centroids the
 * graph starts with; later centroids are encoded with them. A graph that starts with fewer centroids than
 * a codebook needs is walked on the exact centroids. Not thread-safe: the owner serializes changes
 * against searches.
 */
final class CentroidGraph {

    /**
     * Graph neighbours per centroid. Near-orthogonal vectors (face embeddings of different people)
     * give a graph with few shortcuts: 16 lost one query in twenty on a seeded 128-dimensional gallery,
     * 32 keeps recall at 0.99 for a neighbour list of about 300 bytes beside a 2 KB centroid.
     */
    private static final int DEGREE = 32;
    private static final int CONSTRUCTION_BEAM = 100;
    /** Candidates kept during a search (the beam); more costs time and gains recall. */
    static final int SEARCH_BREADTH = 300;
    /**
     * Candidates re-ranked exactly: the quantized scores err by a few hundredths, far less than the gap
     * between a face's own identity and the others, so the best 48 hold the best and runner-up identity.
     */
    static final int CANDIDATES = 64;
    /** Values per quantized byte (a subspace); 512 floats become 64 bytes. */
    private static final int VALUES_PER_CODE = 8;
    /** Codebooks (256 centres per subspace) are learned from at least this many centroids. */
    static final int MIN_QUANTIZATION_TRAINING = 4_096;
    /** ... and from at most about this many: 128 per codebook centre. */
    private static final int MAX_QUANTIZATION_TRAINING = 32_768;

    private static final VectorTypeSupport VECTORS = quietVectorTypes();

    private final IntFunction<float[]> rows;
    private final CentroidScores exact;
    /** Quantized centroids by slot; null when the graph is walked on the exact centroids. */
    private final MutablePQVectors codes;
    private final GraphIndexBuilder builder;
    private final ThreadLocal<GraphSearcher> searchers;

    private CentroidGraph(IntFunction<float[]> rows, CentroidScores exact, MutablePQVectors codes, GraphIndexBuilder builder) {
        this.rows = rows;
        this.exact = exact;
        this.codes = codes;
        this.builder = builder;
        // a searcher holds per-search scratch space (visited set, queues): one per matching thread instead of one per face
        this.searchers = ThreadLocal.withInitial(() -> new GraphSearcher(builder.getGraph()));
    }

    /**
     * An empty graph over {@code rows} (slot to normalized centroid), with codebooks learned from the
     * given slots when there are enough of them; insert those slots next.
     */
    static CentroidGraph create(IntFunction<float[]> rows, IntSupplier slotCount, int dimension, int[] training) {
        CentroidScores exact = new CentroidScores(rows, slotCount, dimension);
        MutablePQVectors codes = null;
        if (training.length >= MIN_QUANTIZATION_TRAINING && dimension >= VALUES_PER_CODE) {
            // an even sample: k-means over every centroid of a large gallery costs minutes and gains nothing
            int step = Math.max(1, training.length / MAX_QUANTIZATION_TRAINING);
            List<VectorFloat<?>> vectors = new ArrayList<>();
            for (int i = 0; i < training.length; i += step) {
                vectors.add(VECTORS.createFloatVector(rows.apply(training[i])));
            }
            // not centred: centring suits Euclidean distance, and these are scored by dot product
            ProductQuantization pq = ProductQuantization.compute(new ListRandomAccessVectorValues(vectors, dimension),
                    dimension / VALUES_PER_CODE, 256, false);
            codes = new MutablePQVectors(pq);
        }
        // neighbours chosen on exact scores: on near-orthogonal vectors the quantization error is as large as the gap
        // between a centroid's nearest neighbours and the rest, and a graph built on quantized scores lost a third of
        // the faces (recall@1 0.68 at 100,000 identities). Alpha 1.2 keeps some longer edges, which a graph of
        // near-orthogonal vectors needs to stay navigable.
        GraphIndexBuilder builder = new GraphIndexBuilder(exact, dimension, DEGREE, CONSTRUCTION_BEAM, 1.2f, 1.2f, true);
        return new CentroidGraph(rows, exact, codes, builder);
    }

    boolean quantized() {
        return codes != null;
    }

    /** Adds the slots' centroids; many at once are encoded and inserted on the common fork-join pool. */
    void insert(int[] slots) {
        if (slots.length == 0) {
            return;
        }
        if (codes != null) {
            int highest = IntStream.of(slots).max().getAsInt();
            // grows the code storage once, before the parallel encoding writes into it
            codes.setZero(highest);
            stream(slots).forEach(s -> codes.encodeAndSet(s, VECTORS.createFloatVector(rows.apply(s))));
        }
        stream(slots).forEach(s -> builder.addGraphNode(s, insertScores(rows.apply(s))));
    }

    /**
     * The scores an insert searches with: the walk on the quantized centroids when there are any, its
     * beam re-scored exactly, so that the new node's neighbours are chosen on exact scores as in a graph
     * built on exact scores only, at a fraction of its reads.
     */
    private SearchScoreProvider insertScores(float[] row) {
        return codes == null
                ? new DefaultSearchScoreProvider(exact.to(row))
                : new DefaultSearchScoreProvider(scoresTo(row), exact.to(row));
    }

    private static IntStream stream(int[] slots) {
        return slots.length == 1 ? IntStream.of(slots) : IntStream.of(slots).parallel();
    }

    void markDeleted(int slot) {
        builder.markNodeDeleted(slot);
    }

    void restore(int slot) {
        ((OnHeapGraphIndex) builder.getGraph()).getDeletedNodes().clear(slot);
    }

    /** The slots of the nodes nearest to {@code face} by the graph's (possibly quantized) scores, best first. */
    int[] candidates(float[] face) {
        GraphSearcher searcher = searchers.get();
        // a view taken now sees every insert made so far
        searcher.setView(builder.getGraph().getView());
        SearchResult result = searcher.search(new DefaultSearchScoreProvider(scoresTo(face)), CANDIDATES, SEARCH_BREADTH, 0f, 0f, Bits.ALL);
        SearchResult.NodeScore[] nodes = result.getNodes();
        int[] slots = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            slots[i] = nodes[i].node;
        }
        return slots;
    }

    /** Heap the graph and the quantized centroids take (not the exact centroids). */
    long bytes() {
        return builder.getGraph().ramBytesUsed() + (codes == null ? 0 : codes.ramBytesUsed());
    }

    private ScoreFunction scoresTo(float[] vector) {
        return codes == null
                ? exact.to(vector)
                : codes.precomputedScoreFunctionFor(VECTORS.createFloatVector(vector), VectorSimilarityFunction.DOT_PRODUCT);
    }

    private static VectorTypeSupport quietVectorTypes() {
        // on Java below 20 jvector warns at its first use that it runs without the Vector API: that is
        // the expected path on Java 17, and the warning would stand in every command's output
        Logger log = Logger.getLogger(VectorizationProvider.class.getName());
        Level before = log.getLevel();
        log.setLevel(Level.SEVERE);
        try {
            return VectorizationProvider.getInstance().getVectorTypeSupport();
        } finally {
            log.setLevel(before);
        }
    }
}
