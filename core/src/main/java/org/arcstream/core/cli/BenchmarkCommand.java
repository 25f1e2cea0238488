package org.arcstream.core.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.arcstream.core.baseline.OpenCvFacePipeline;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.InferenceModelFiles;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.pipeline.ImageFaces;
import org.arcstream.core.pipeline.ParallelFacePipeline;
import org.arcstream.core.runtime.OnnxModels;
import org.bytedeco.opencv.global.opencv_core;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code benchmark}: images per second of (a) a bare ONNX Runtime session on the embedding model (the graph
 * the pipeline loads, {@link InferenceModelFiles}),
 * (b) the project's embedding stage on the same aligned crops, (c) the whole pipeline on the encoded images
 * (decode to embeddings) as the product runs a batch of images ({@link ParallelFacePipeline}, {@code inference.workers}),
 * (d) the same steps on OpenCV DNN ({@link OpenCvFacePipeline}) on the same images and models, one image at a time
 * on OpenCV's own threads, interleaved in one run so that machine noise hits all alike. For comparison it also
 * times the pipeline one image at a time and OpenCV on as many images at a time as the pipeline's workers (one
 * OpenCV thread each), and the process CPU time per image of (c) and (d), which load on the machine moves less
 * than the rates.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, version = ArcstreamCli.VERSION,
        description = "Measure embedding and pipeline throughput against a bare ONNX Runtime baseline.")
final class BenchmarkCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Images to run (directories are searched recursively).")
    List<Path> images;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per stage; the median is reported (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws OrtException {
        for (Path path : images) {
            CommandLines.requireExisting(spec, path, "--images", CommandLines.PathKind.FILE_OR_FOLDER);
        }
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        FacePipelineConfig config = common.pipelineConfig();
        int workers = ParallelFacePipeline.workers(common.settings());
        try (FacePipeline pipeline = new FacePipeline(config);
                ParallelFacePipeline parallel = ParallelFacePipeline.open(config, workers)) {
            // the files are read once: the timed passes start from encoded bytes in memory
            List<byte[]> encoded = new ArrayList<>();
            List<Face> faces = new ArrayList<>();
            for (Path file : ImageFolders.expand(images)) {
                try {
                    RgbImage image = ImageFolders.read(pipeline.decoder(), file);
                    encoded.add(ImageFolders.readBytes(file));
                    pipeline.locate(image).stream().findFirst().ifPresent(faces::add);
                } catch (UnreadableImageException e) {
                    // a benchmark measures the images it can read; the others are named and left out
                    spec.commandLine().getErr().println(e.image() + " (left out)");
                }
            }
            List<RgbImage> crops = faces.stream().map(Face::aligned).toList();
            if (crops.isEmpty()) {
                throw new IllegalArgumentException("no face found in the benchmark images under " + images);
            }
            try (BareSession bare = new BareSession(config.embedding(), crops);
                    OpenCvFacePipeline opencv = openBaseline(config);
                    OpenCvWorkers opencvParallel = OpenCvWorkers.open(config, workers)) {
                Timings t = new Timings(runs);
                // one untimed pass of each warms up allocations, ONNX Runtime's arenas and OpenCV's layers
                bare.runAll();
                pipeline.embedAll(faces);
                parallel.analyzeEncoded(encoded);
                runPipeline(pipeline, encoded);
                runBaseline(opencv, encoded);
                opencvParallel.run(encoded);
                for (int r = 0; r < runs; r++) {
                    // the stage timed first after OpenCV's ran slower, either of the two: they alternate which goes first
                    if (r % 2 == 0) {
                        t.time("ort", r, crops.size(), bare::runAll);
                    }
                    t.time("embed", r, crops.size(), () -> pipeline.embedAll(faces));
                    if (r % 2 == 1) {
                        t.time("ort", r, crops.size(), bare::runAll);
                    }
                    t.time("pipeline", r, encoded.size(), () -> requireAll(parallel.analyzeEncoded(encoded)));
                    t.time("opencv", r, encoded.size(), () -> runBaseline(opencv, encoded));
                    t.time("serial", r, encoded.size(), () -> runPipeline(pipeline, encoded));
                    t.time("opencv_parallel", r, encoded.size(), () -> opencvParallel.run(encoded));
                }
                report(crops.size(), encoded.size(), config, workers, t);
            }
        }
        return CommandLines.OK;
    }

    private static OpenCvFacePipeline openBaseline(FacePipelineConfig config) {
        try {
            return OpenCvFacePipeline.open(config);
        } catch (LinkageError e) {
            // OpenCV's natives ship for linux-x86_64 only
            throw new IllegalStateException("the OpenCV DNN baseline cannot load OpenCV on this platform ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + e.getMessage(), e);
        }
    }

    private static void requireAll(List<ImageFaces> results) {
        // the images were read once before: an image that fails now is a fault, not an input to leave out
        results.forEach(ImageFaces::orThrow);
    }

    private static void runPipeline(FacePipeline pipeline, List<byte[]> encoded) {
        for (byte[] image : encoded) {
            pipeline.analyze(pipeline.decoder().decode(image));
        }
    }

    private static void runBaseline(OpenCvFacePipeline opencv, List<byte[]> encoded) {
        for (byte[] image : encoded) {
            opencv.analyze(image);
        }
    }

    private void report(int crops, int imageCount, FacePipelineConfig config, int workers, Timings t) {
        double ort = t.rate("ort"), embed = t.rate("embed"), full = t.rate("pipeline"), opencv = t.rate("opencv");
        double serial = t.rate("serial"), opencvParallel = t.rate("opencv_parallel");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("crops", crops);
        out.put("images", imageCount);
        out.put("runs", runs);
        out.put("batch_size", config.embedBatch());
        out.put("flip", config.tta().flip());
        out.put("shift", config.tta().shift());
        out.put("workers", workers);
        out.put("threads", config.inference().intraOpThreads());
        out.put("ort_images_per_s", round(ort));
        out.put("embed_images_per_s", round(embed));
        out.put("pipeline_images_per_s", round(full));
        out.put("opencv_images_per_s", round(opencv));
        out.put("ratio_embed_to_ort", ratio(embed, ort));
        out.put("ratio_pipeline_to_ort", ratio(full, ort));
        out.put("ratio_pipeline_to_opencv", ratio(full, opencv));
        out.put("pipeline_one_image_at_a_time_images_per_s", round(serial));
        out.put("opencv_parallel_images_per_s", round(opencvParallel));
        out.put("ratio_pipeline_to_opencv_parallel", ratio(full, opencvParallel));
        out.put("pipeline_cpu_ms_per_image", round(t.cpuMs("pipeline")));
        out.put("opencv_cpu_ms_per_image", round(t.cpuMs("opencv")));
        out.put("opencv_parallel_cpu_ms_per_image", round(t.cpuMs("opencv_parallel")));
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.line(out));
            return;
        }
        w.printf("median of %d runs, %d aligned crops, %d images, batch %d, flip %s, shift %d, %d workers%n",
                runs, crops, imageCount, config.embedBatch(), config.tta().flip(), config.tta().shift(), workers);
        w.printf("(a) bare ONNX Runtime session   %8.1f images/s%n", ort);
        w.printf("(b) embedding stage             %8.1f images/s   b/a = %.3f%n", embed, embed / ort);
        w.printf("(c) whole pipeline              %8.1f images/s   c/a = %.3f   %5.1f CPU ms/image%n", full, full / ort,
                t.cpuMs("pipeline"));
        w.printf("(d) OpenCV DNN, same steps      %8.1f images/s   c/d = %.3f   %5.1f CPU ms/image%n", opencv, full / opencv,
                t.cpuMs("opencv"));
        w.printf("    pipeline, one image at a time    %8.1f images/s%n", serial);
        w.printf("    OpenCV, %d images at a time       %8.1f images/s   c/that = %.3f%n", workers, opencvParallel,
                full / opencvParallel);
    }

    /** Images per second and process CPU time per image of each timed stage, run by run. */
    private static final class Timings {
        private final int runs;
        private final Map<String, double[]> rates = new LinkedHashMap<>();
        private final Map<String, double[]> cpuMs = new LinkedHashMap<>();
        private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        Timings(int runs) {
            this.runs = runs;
        }

        void time(String stage, int run, int count, Runnable work) {
            // process CPU time counts every thread: the workers, ONNX Runtime's and OpenCV's pools, spinning included
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            work.run();
            long wall = System.nanoTime() - start;
            rates.computeIfAbsent(stage, k -> new double[runs])[run] = count / (wall / 1e9);
            cpuMs.computeIfAbsent(stage, k -> new double[runs])[run] = (os.getProcessCpuTime() - cpu) / 1e6 / count;
        }

        double rate(String stage) {
            return median(rates.get(stage));
        }

        double cpuMs(String stage) {
            return median(cpuMs.get(stage));
        }
    }

    /**
     * OpenCV on several images at a time, for comparison: one pipeline (nets) per thread and OpenCV's process-wide
     * thread count set to one while it runs (restored after).
     */
    private static final class OpenCvWorkers implements AutoCloseable {
        private final List<OpenCvFacePipeline> pipelines;
        private final ExecutorService threads;

        private OpenCvWorkers(List<OpenCvFacePipeline> pipelines, ExecutorService threads) {
            this.pipelines = pipelines;
            this.threads = threads;
        }

        static OpenCvWorkers open(FacePipelineConfig config, int workers) {
            List<OpenCvFacePipeline> pipelines = new ArrayList<>();
            try {
                for (int i = 0; i < workers; i++) {
                    pipelines.add(openBaseline(config));
                }
            } catch (RuntimeException | LinkageError e) {
                pipelines.forEach(OpenCvFacePipeline::close);
                throw e;
            }
            return new OpenCvWorkers(pipelines, Executors.newFixedThreadPool(workers));
        }

        void run(List<byte[]> encoded) {
            int restore = opencv_core.getNumThreads();
            opencv_core.setNumThreads(1);
            try {
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> running = new ArrayList<>();
                for (OpenCvFacePipeline p : pipelines) {
                    running.add(threads.submit(() -> {
                        for (int i = next.getAndIncrement(); i < encoded.size(); i = next.getAndIncrement()) {
                            p.analyze(encoded.get(i));
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                opencv_core.setNumThreads(restore);
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
            pipelines.forEach(OpenCvFacePipeline::close);
        }
    }

    private static double ratio(double a, double b) {
        return Math.round(a / b * 1000) / 1000.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The baseline: one ONNX Runtime session, batch 1, tensors prepared up front. */
    private static final class BareSession implements AutoCloseable {
        private final OrtSession session;
        private final List<OnnxTensor> inputs = new ArrayList<>();
        private final String inputName;

        BareSession(EmbeddingModelSpec spec, List<RgbImage> crops) throws OrtException {
            OrtEnvironment env = OnnxModels.environment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // the same process-wide thread pool as the pipeline's models, so neither disturbs the other
                options.disablePerSessionThreads();
                // the graph the pipeline runs, so that (b)/(a) is the cost of the code around ONNX Runtime
                session = env.createSession(InferenceModelFiles.forInference(spec.file()).toString(), options);
            }
            inputName = session.getInputNames().iterator().next();
            int s = spec.inputSize();
            for (RgbImage crop : crops) {
                inputs.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(spec.preprocessing().toChw(crop)), new long[] {1, 3, s, s}));
            }
        }

        void runAll() {
            try {
                for (OnnxTensor input : inputs) {
                    try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
                        float[][] out = (float[][]) result.get(0).getValue();
                        if (out[0].length == 0) {
                            throw new IllegalStateException("empty embedding");
                        }
                    }
                }
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws OrtException {
            inputs.forEach(OnnxTensor::close);
            session.close();
        }
    }
}
