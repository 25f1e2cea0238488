package org.arcstream.core.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.baseline.OpenCvFacePipeline;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.InferenceModelFiles;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.OnnxModels;
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
 * (decode to embeddings), (d) the same steps on OpenCV DNN ({@link OpenCvFacePipeline}) on the same images and
 * models, interleaved in one run so that machine noise hits all four alike.
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
        try (FacePipeline pipeline = new FacePipeline(config)) {
            // the files are read once: the timed passes start from encoded bytes in memory
            List<byte[]> encoded = new ArrayList<>();
            List<RgbImage> crops = new ArrayList<>();
            for (Path file : ImageFolders.expand(images)) {
                try {
                    RgbImage image = ImageFolders.read(pipeline.decoder(), file);
                    encoded.add(ImageFolders.readBytes(file));
                    pipeline.locate(image).stream().findFirst().map(Face::aligned).ifPresent(crops::add);
                } catch (UnreadableImageException e) {
                    // a benchmark measures the images it can read; the others are named and left out
                    spec.commandLine().getErr().println(e.image() + " (left out)");
                }
            }
            if (crops.isEmpty()) {
                throw new IllegalArgumentException("no face found in the benchmark images under " + images);
            }
            try (BareSession bare = new BareSession(config.embedding(), crops);
                    OpenCvFacePipeline opencv = openBaseline(config)) {
                double[] ort = new double[runs], embed = new double[runs], full = new double[runs], cv = new double[runs];
                // one untimed pass of each warms up allocations, ONNX Runtime's arenas and OpenCV's layers
                bare.runAll();
                pipeline.embedder().embed(crops);
                runPipeline(pipeline, encoded);
                runBaseline(opencv, encoded);
                for (int r = 0; r < runs; r++) {
                    ort[r] = rate(crops.size(), bare::runAll);
                    embed[r] = rate(crops.size(), () -> pipeline.embedder().embed(crops));
                    full[r] = rate(encoded.size(), () -> runPipeline(pipeline, encoded));
                    cv[r] = rate(encoded.size(), () -> runBaseline(opencv, encoded));
                }
                report(crops.size(), encoded.size(), config, median(ort), median(embed), median(full), median(cv));
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

    private void report(int crops, int imageCount, FacePipelineConfig config, double ort, double embed, double full,
            double opencv) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("crops", crops);
        out.put("images", imageCount);
        out.put("runs", runs);
        out.put("batch_size", config.embedBatch());
        out.put("flip", config.flip());
        out.put("ort_images_per_s", round(ort));
        out.put("embed_images_per_s", round(embed));
        out.put("pipeline_images_per_s", round(full));
        out.put("opencv_images_per_s", round(opencv));
        out.put("ratio_embed_to_ort", ratio(embed, ort));
        out.put("ratio_pipeline_to_ort", ratio(full, ort));
        out.put("ratio_pipeline_to_opencv", ratio(full, opencv));
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.line(out));
            return;
        }
        w.printf("median of %d runs, %d aligned crops, %d images, batch %d, flip %s%n",
                runs, crops, imageCount, config.embedBatch(), config.flip());
        w.printf("(a) bare ONNX Runtime session   %8.1f images/s%n", ort);
        w.printf("(b) embedding stage             %8.1f images/s   b/a = %.3f%n", embed, embed / ort);
        w.printf("(c) whole pipeline              %8.1f images/s   c/a = %.3f%n", full, full / ort);
        w.printf("(d) OpenCV DNN, same steps      %8.1f images/s   c/d = %.3f%n", opencv, full / opencv);
    }

    private static double ratio(double a, double b) {
        return Math.round(a / b * 1000) / 1000.0;
    }

    private static double rate(int count, Runnable work) {
        long start = System.nanoTime();
        work.run();
        return count / ((System.nanoTime() - start) / 1e9);
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
