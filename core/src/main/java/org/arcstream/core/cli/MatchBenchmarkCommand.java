package org.arcstream.core.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.GalleryIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.match.MatchResult;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code match-benchmark}: the exact scan against the binary-code matcher on one synthetic gallery of
 * normalized 512-float centroids, with real faces mixed in as true matches. The exact scan is set
 * against the memory's rate, measured in the same run by summing an array of the gallery's size.
 */
@Command(name = "match-benchmark", mixinStandardHelpOptions = true, version = ArcstreamCli.VERSION,
        description = "Exact scan against the approximate-nearest-neighbour matcher on a synthetic gallery.")
final class MatchBenchmarkCommand implements Callable<Integer> {

    /** The default model's embedding length. */
    private static final int DIMENSION = 512;
    private static final float THRESHOLD = 0.38f;
    /** Enrollments timed from the update to the first match that finds them. */
    private static final int UPDATES = 5;

    @Mixin
    CommonOptions common;

    @Option(names = "--identities", required = true, paramLabel = "N", description = "Identities in the gallery.")
    int identities;

    @Option(names = "--queries", defaultValue = "1000", paramLabel = "Q", description = "Faces matched (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--real-faces", defaultValue = "../shared/data/lfw10", paramLabel = "DIR",
            description = "Folder-per-identity images embedded with the face pipeline and mixed in: the first half of each "
                    + "identity's faces enrolled, the others matched (default ${DEFAULT-VALUE}; left out when absent).")
    Path realFaces;

    @Option(names = "--no-real-faces", description = "Synthetic faces only.")
    boolean noRealFaces;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic gallery (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (identities < 2) {
            throw new ParameterException(spec.commandLine(), "--identities must be at least 2");
        }
        if (queries < 1) {
            throw new ParameterException(spec.commandLine(), "--queries must be at least 1");
        }
        Random random = new Random(seed);
        List<Identity> people = new ArrayList<>();
        Map<Identity, List<float[]>> gallery = new LinkedHashMap<>();
        List<float[]> faces = new ArrayList<>();
        List<Identity> truth = new ArrayList<>();
        int real = noRealFaces || !Files.isDirectory(realFaces) ? 0 : addRealFaces(gallery, faces, truth);
        for (int i = gallery.size(); i < identities; i++) {
            Identity person = new Identity("synthetic-" + i, "Synthetic " + i);
            people.add(person);
            gallery.put(person, List.of(randomUnit(random)));
        }
        while (faces.size() < queries) {
            Identity person = people.get(random.nextInt(people.size()));
            faces.add(sameLook(random, gallery.get(person).get(0)));
            truth.add(person);
        }

        // the exact index is gone once its phase returns: the matcher is measured without it, and a million
        // identities need 2 GB less heap at once
        ExactPhase exact = exactPhase(gallery, faces);
        List<MatchResult> exactResults = exact.results();
        double[] exactMs = exact.ms();
        double exactBuildS = exact.buildS();
        long exactHeap = exact.heap();
        double bandwidth = exact.bandwidth();
        double exactGbPerS = (double) DIMENSION * Float.BYTES * exact.centroids() / (percentile(exactMs, 50) / 1e3) / 1e9;

        long heapBefore = usedHeap();
        long offHeapBefore = offHeap();
        long buildStart = System.nanoTime();
        GalleryIndex ann = new GalleryIndex(DIMENSION, 0);
        ann.putAll(gallery);
        double annBuildS = (System.nanoTime() - buildStart) / 1e9;
        long annHeap = usedHeap() - heapBefore;
        // the generated gallery is not used after this point (the matcher holds normalized copies): without this fence
        // the JIT may let it be collected between the two heap readings above, which would subtract its size from the
        // matcher's (a gallery of 100,000 showed 50 bytes per identity)
        Reference.reachabilityFence(gallery);
        long annOffHeap = offHeap() - offHeapBefore;
        // collected before the faces are timed: at a million the generated gallery doubled the live heap, above the
        // collector's threshold for marking, so every young collection started a mark of 4 GB on the other core while
        // faces were timed (a served gallery exists once, in the matcher)
        gallery.clear();
        System.gc();

        List<MatchResult> annResults = new ArrayList<>();
        double[] annCpuMs = new double[faces.size()];
        double[] annMs = time(faces, f -> ann.match(f, THRESHOLD), annResults, () -> {}, annCpuMs);

        // enrollments into the running (compiled) matcher: from the update call to the first match that returns the
        // new identity, the slowest of a few
        double updateMs = 0;
        for (int i = 0; i < UPDATES; i++) {
            Identity newcomer = new Identity("newcomer-" + i, "Newcomer " + i);
            float[] look = randomUnit(random);
            long start = System.nanoTime();
            ann.put(newcomer, List.of(look));
            boolean visible = newcomer.equals(ann.match(sameLook(random, look), THRESHOLD).identity());
            updateMs = Math.max(updateMs, (System.nanoTime() - start) / 1e6);
            if (!visible) {
                throw new IllegalStateException("an enrolled identity was not found by a face of it");
            }
            ann.remove(newcomer.id());
        }
        int agree = 0, exactRight = 0, annRight = 0;
        for (int q = 0; q < faces.size(); q++) {
            Identity e = exactResults.get(q).bestCandidate();
            Identity a = annResults.get(q).bestCandidate();
            agree += e != null && e.equals(a) ? 1 : 0;
            exactRight += truth.get(q).equals(e) ? 1 : 0;
            annRight += truth.get(q).equals(a) ? 1 : 0;
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("identities", identities);
        out.put("dimension", DIMENSION);
        out.put("queries", faces.size());
        out.put("real_faces", real);
        out.put("exact_build_s", round(exactBuildS, 3));
        out.put("exact_p50_ms", round(percentile(exactMs, 50), 3));
        out.put("exact_p99_ms", round(percentile(exactMs, 99), 3));
        out.put("exact_gb_per_s", round(exactGbPerS, 2));
        out.put("bandwidth_gb_per_s", round(bandwidth, 2));
        out.put("exact_to_bandwidth", round(exactGbPerS / bandwidth, 3));
        out.put("exact_bytes_per_identity", exactHeap / identities);
        out.put("exact_top1", round((double) exactRight / faces.size(), 4));
        out.put("ann_build_s", round(annBuildS, 3));
        out.put("ann_update_visible_ms", round(updateMs, 3));
        out.put("ann_p50_ms", round(percentile(annMs, 50), 3));
        out.put("ann_p99_ms", round(percentile(annMs, 99), 3));
        // the thread's CPU time per face: the wall-clock time without the time slices other processes took
        out.put("ann_cpu_p50_ms", round(percentile(annCpuMs, 50), 3));
        out.put("ann_cpu_p99_ms", round(percentile(annCpuMs, 99), 3));
        out.put("ann_recall_at_1", round((double) agree / faces.size(), 4));
        out.put("ann_top1", round((double) annRight / faces.size(), 4));
        out.put("ann_bytes_per_identity", annHeap / identities);
        out.put("ann_off_heap_bytes_per_identity", annOffHeap / identities);
        out.put("ann_code_bytes_per_identity", ann.codeBytes() / identities);
        out.put("raw_bytes_per_identity", DIMENSION * Float.BYTES);
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.line(out));
            return CommandLines.OK;
        }
        w.printf("%d identities x %d floats, %d faces (%d real), threshold %.2f%n", identities, DIMENSION, faces.size(), real, THRESHOLD);
        w.printf("%-6s %9s %12s %9s %9s %10s %9s %9s%n", "", "build s", "update ms", "p50 ms", "p99 ms", "recall@1", "top-1", "B/ident");
        w.printf("%-6s %9.2f %12s %9.3f %9.3f %10s %9.4f %9d%n", "exact", exactBuildS, "rebuild", percentile(exactMs, 50),
                percentile(exactMs, 99), "1", (double) exactRight / faces.size(), exactHeap / identities);
        w.printf("%-6s %9.2f %12.3f %9.3f %9.3f %10.4f %9.4f %9d%n", "ann", annBuildS, updateMs, percentile(annMs, 50),
                percentile(annMs, 99), (double) agree / faces.size(), (double) annRight / faces.size(), annHeap / identities);
        w.printf("raw vectors %d B/identity; exact scan %.2f GB/s, memory (array sum) %.2f GB/s, ratio %.3f%n",
                DIMENSION * Float.BYTES, exactGbPerS, bandwidth, exactGbPerS / bandwidth);
        return CommandLines.OK;
    }

    private record ExactPhase(List<MatchResult> results, double[] ms, double buildS, long heap, double bandwidth, int centroids) {}

    /** The exact scan built and timed, with the memory's rate measured between its timed faces. */
    private static ExactPhase exactPhase(Map<Identity, List<float[]>> gallery, List<float[]> faces) {
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        CentroidIndex exact = CentroidIndex.of(gallery);
        double buildS = (System.nanoTime() - start) / 1e9;
        long heap = usedHeap() - heapBefore;
        // the memory's rate is taken between the timed faces of the exact scan, under the same load from elsewhere
        MemoryRate memory = new MemoryRate(new float[(int) Math.min((long) DIMENSION * gallery.size(), MemoryRate.MAX_FLOATS)]);
        memory.warmUp();
        List<MatchResult> results = new ArrayList<>();
        double[] ms = time(faces, f -> exact.match(f, THRESHOLD), results, memory::measure, new double[faces.size()]);
        return new ExactPhase(results, ms, buildS, heap, memory.median(), exact.centroids());
    }

    /** Real identities first in the gallery: the mean of the first half of their faces; the other faces become queries. */
    private int addRealFaces(Map<Identity, List<float[]>> gallery, List<float[]> faces, List<Identity> truth) {
        int count = 0;
        try (FacePipeline pipeline = new FacePipeline(common.pipelineConfig())) {
            try (var folders = Files.list(realFaces)) {
                for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                    List<float[]> embeddings = new ArrayList<>();
                    for (Path file : ImageFolders.imagesUnder(folder)) {
                        try {
                            pipeline.bestFace(ImageFolders.read(pipeline.decoder(), file)).map(Face::embedding).ifPresent(embeddings::add);
                        } catch (UnreadableImageException e) {
                            spec.commandLine().getErr().println(e.image() + " (left out)");
                        }
                    }
                    if (embeddings.size() < 2 || gallery.size() >= identities) {
                        continue;
                    }
                    Identity person = new Identity("real-" + folder.getFileName(), folder.getFileName().toString());
                    int half = embeddings.size() / 2;
                    float[] mean = new float[DIMENSION];
                    for (float[] e : embeddings.subList(0, half)) {
                        for (int d = 0; d < DIMENSION; d++) {
                            mean[d] += e[d];
                        }
                    }
                    gallery.put(person, List.of(Embeddings.normalize(mean)));
                    for (float[] e : embeddings.subList(half, embeddings.size())) {
                        faces.add(e);
                        truth.add(person);
                        count++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return Embeddings.normalize(v);
    }

    /** Another face of the same person: cosine about 0.7 with the centroid, the mean of real same-person pairs. */
    private static float[] sameLook(Random random, float[] centroid) {
        float[] noise = randomUnit(random);
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = 0.7f * centroid[d] + 0.71f * noise[d];
        }
        return Embeddings.normalize(v);
    }

    /**
     * Each face timed alone, after an untimed warm-up (every face once, or one second's worth) that lets the
     * JIT compile the search before it is timed; {@code between} runs (untimed) after every 50th face. The
     * results in the faces' order; each face's CPU time (of this thread) goes into {@code cpuMs}.
     */
    private static double[] time(List<float[]> faces, Function<float[], MatchResult> match, List<MatchResult> results,
            Runnable between, double[] cpuMs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long warmUpEnd = System.nanoTime() + 1_000_000_000L;
        for (int q = 0; q < faces.size() && (q < 50 || System.nanoTime() < warmUpEnd); q++) {
            match.apply(faces.get(q));
        }
        double[] ms = new double[faces.size()];
        for (int q = 0; q < faces.size(); q++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            results.add(match.apply(faces.get(q)));
            ms[q] = (System.nanoTime() - start) / 1e6;
            cpuMs[q] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
            if (q % 50 == 49) {
                between.run();
            }
        }
        return ms;
    }

    /**
     * GB/s of summing an array of the gallery's size (at most {@link #MAX_FLOATS}) in the exact scan's loop shape (128 sums side by side,
     * which the JIT turns into SIMD additions): the same reads, without the multiplications. The median of
     * passes spread over the exact scan's timing, so that both see the same load from other processes.
     */
    static final class MemoryRate {
        /**
         * 512 MB at most: many times any cache, so the sum runs at the memory's rate, without a second copy of a
         * large gallery's size in the heap (a million identities are 2 GB).
         */
        static final int MAX_FLOATS = 128 << 20;
        private final float[] data;
        private final float[] sums = new float[128];
        private final List<Double> rates = new ArrayList<>();

        MemoryRate(float[] data) {
            this.data = data;
        }

        /** Untimed passes for a second at least, so that the loop runs compiled when it is timed. */
        void warmUp() {
            long end = System.nanoTime() + 1_000_000_000L;
            do {
                sum();
            } while (System.nanoTime() < end);
        }

        void measure() {
            long start = System.nanoTime();
            sum();
            rates.add((double) data.length * Float.BYTES / ((System.nanoTime() - start) / 1e9) / 1e9);
        }

        double median() {
            if (rates.isEmpty()) {
                measure();
            }
            float sink = 0;
            for (float s : sums) {
                sink += s;
            }
            if (Float.isNaN(sink)) {
                throw new IllegalStateException("sum of zeros is NaN");
            }
            double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        private void sum() {
            for (int o = 0; o + sums.length <= data.length; o += sums.length) {
                for (int j = 0; j < sums.length; j++) {
                    sums[j] += data[o + j];
                }
            }
        }
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long offHeap() {
        long sum = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            sum += pool.getMemoryUsed();
        }
        return sum;
    }
}
