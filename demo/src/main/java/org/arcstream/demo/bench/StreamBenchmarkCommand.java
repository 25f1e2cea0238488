package org.arcstream.demo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.config.Settings;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.demo.DemoRun;
import org.arcstream.demo.DemoSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./arcstream stream-benchmark}: the streaming path (in-process broker, embedder, matcher) at a
 * fixed offered frame rate, beside the raw face-pipeline rate measured in the same run on the same frames,
 * then again at half that raw rate, where the stream keeps up and its latency is its own rather than a queue's;
 * the median of several runs, because one run on a shared machine can be off by a tenth either way.
 */
@Command(name = "stream-benchmark", mixinStandardHelpOptions = true,
        description = "Sustained frames/s and frame-to-match latency of the streaming path, as a ratio to the raw pipeline rate.")
public final class StreamBenchmarkCommand implements Callable<Integer> {

    // enough for the JIT to compile the image code: after 100 the first raw rate of a run was still a tenth below the
    // next ones (and the half load was offered less than half the raw rate)
    private static final int RAW_WARM_UP_FRAMES = 400;
    // a new stream's first second or so (new sessions, clients and transactions) ran its frames at half speed and
    // queued the ones after them
    private static final int STREAM_WARM_UP_FRAMES = 100;

    @Option(names = "--gallery", required = true, paramLabel = "DIR", description = "One sub-folder of images per identity.")
    Path gallery;

    @Option(names = "--source", paramLabel = "DIR", description = "Images streamed as frames, looped (default: the gallery).")
    Path source;

    @Option(names = "--enroll-per-identity", defaultValue = "5", paramLabel = "N", description = "Images enrolled per identity.")
    int enrollPerIdentity;

    @Option(names = "--frames", defaultValue = "600", paramLabel = "N", description = "Frames streamed (and frames timed for the raw rate).")
    int frames;

    @Option(names = "--fps", defaultValue = "0",
            description = "Offered frame rate; 0 = the raw pipeline rate measured just before, so the ratio says whether streaming keeps up.")
    double fps;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "Whole runs (raw, stream, raw, stream at half the raw rate); the summary is their median.")
    int runs;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (keys of arcstream.properties).")
    Path config;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    /**
     * One run's figures: the raw rate on both sides of the stream, what the stream did at the offered rate, and what
     * it did at half the raw rate ({@code halfOffered}).
     */
    record Run(double rawBefore, double rawAfter, double offered, DemoSummary stream, double halfOffered, DemoSummary halfLoad) {

        double raw() {
            return (rawBefore + rawAfter) / 2;
        }

        double ratio() {
            return stream.sustainedFramesPerSecond() / raw();
        }
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new StreamBenchmarkCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        CommandLines.requireExisting(spec, gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, source, "--source", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, config, "--config", CommandLines.PathKind.FILE);
        if (runs < 1 || frames < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs and --frames must be at least 1");
        }
        Settings settings = Settings.load(config);
        FacePipelineConfig pipeline = FacePipelineConfig.from(settings);
        Path images = source != null ? source : gallery;
        List<Path> files = ImageFiles.expand(List.of(images));
        DemoRun.Options options = new DemoRun.Options(gallery, images.toString(), enrollPerIdentity, fps, frames, true,
                settings.decimal("match.threshold"), pipeline, Duration.ofMinutes(10));
        List<Run> done = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Run run = run(options, pipeline, files);
            done.add(run);
            if (!json) {
                System.out.printf("run %d: raw %.1f frames/s (%.1f before, %.1f after), offered %.1f, streaming %.1f sustained = %.2f of raw, "
                        + "latency p50 %.0f ms, p99 %.0f ms, %d of %d labeled frames correct; half load: offered %.1f, streaming %.1f, "
                        + "latency p50 %.0f ms, p99 %.0f ms%n", i + 1, run.raw(), run.rawBefore(),
                        run.rawAfter(), run.offered(), run.stream().sustainedFramesPerSecond(), run.ratio(),
                        run.stream().latencyP50Millis(), run.stream().latencyP99Millis(), run.stream().correct(), run.stream().labeled(),
                        run.halfOffered(), run.halfLoad().sustainedFramesPerSecond(), run.halfLoad().latencyP50Millis(),
                        run.halfLoad().latencyP99Millis());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", runs);
        out.put("raw_frames_per_s", round(median(done, Run::raw)));
        out.put("offered_frames_per_s", round(median(done, Run::offered)));
        out.put("stream_frames_per_s", round(median(done, r -> r.stream().sustainedFramesPerSecond())));
        out.put("ratio_stream_to_raw", Math.round(median(done, Run::ratio) * 1000) / 1000.0);
        out.put("latency_p50_ms", median(done, r -> r.stream().latencyP50Millis()));
        out.put("latency_p99_ms", median(done, r -> r.stream().latencyP99Millis()));
        out.put("frames", done.stream().mapToInt(r -> r.stream().frames()).sum());
        out.put("faces", done.stream().mapToInt(r -> r.stream().faces()).sum());
        out.put("correct", done.stream().mapToInt(r -> r.stream().correct()).sum());
        out.put("labeled", done.stream().mapToInt(r -> r.stream().labeled()).sum());
        out.put("dead_lettered", done.stream().mapToInt(r -> r.stream().deadLettered()).sum());
        out.put("ratio_per_run", done.stream().map(r -> Math.round(r.ratio() * 1000) / 1000.0).toList());
        out.put("half_load_offered_frames_per_s", round(median(done, Run::halfOffered)));
        out.put("half_load_stream_frames_per_s", round(median(done, r -> r.halfLoad().sustainedFramesPerSecond())));
        out.put("half_load_latency_p50_ms", median(done, r -> r.halfLoad().latencyP50Millis()));
        out.put("half_load_latency_p99_ms", median(done, r -> r.halfLoad().latencyP99Millis()));
        out.put("half_load_frames", done.stream().mapToInt(r -> r.halfLoad().frames()).sum());
        out.put("half_load_correct", done.stream().mapToInt(r -> r.halfLoad().correct()).sum());
        out.put("half_load_labeled", done.stream().mapToInt(r -> r.halfLoad().labeled()).sum());
        if (json) {
            System.out.println(Json.line(out));
        } else {
            System.out.printf("median of %d runs: raw pipeline %s frames/s (decode, detect, landmarks, align, embed; one thread)%n",
                    runs, out.get("raw_frames_per_s"));
            System.out.printf("%-10s %10s %12s %8s %8s %8s %16s%n", "load", "offered/s", "streamed/s", "ratio", "p50 ms", "p99 ms",
                    "correct");
            System.out.printf("%-10s %10s %12s %8s %8.0f %8.0f %16s%n", "full", out.get("offered_frames_per_s"),
                    out.get("stream_frames_per_s"), out.get("ratio_stream_to_raw"), out.get("latency_p50_ms"), out.get("latency_p99_ms"),
                    out.get("correct") + " of " + out.get("labeled"));
            System.out.printf("%-10s %10s %12s %8s %8.0f %8.0f %16s%n", "half", out.get("half_load_offered_frames_per_s"),
                    out.get("half_load_stream_frames_per_s"), "", out.get("half_load_latency_p50_ms"), out.get("half_load_latency_p99_ms"),
                    out.get("half_load_correct") + " of " + out.get("half_load_labeled"));
            System.out.printf("full load: %s frames, %s faces, %s dead-lettered; half load: %s frames%n", out.get("frames"),
                    out.get("faces"), out.get("dead_lettered"), out.get("half_load_frames"));
        }
        return done.stream().allMatch(r -> r.stream().frames() > 0 && r.halfLoad().frames() > 0) ? CommandLines.OK : CommandLines.FAILURE;
    }

    /**
     * One run: once the gallery is enrolled, the raw rate on exactly the frames the stream will get (the
     * enrolled images are left out of both), then the stream offered that rate, then the raw rate again,
     * so that a drift of the machine hits both sides alike; then a fresh broker and embedder offered half
     * the raw rate, whose latency is the stream's own (nothing queues).
     */
    private Run run(DemoRun.Options options, FacePipelineConfig pipeline, List<Path> files) throws IOException, InterruptedException {
        List<Path> streamed = new ArrayList<>();
        double[] before = new double[1];
        DemoSummary summary = DemoRun.run(options, enrolled -> {
            files.stream().filter(f -> !enrolled.contains(f.toAbsolutePath().normalize())).forEach(streamed::add);
            before[0] = rawFramesPerSecond(pipeline, streamed, frames);
            return fps > 0 ? fps : before[0];
        }, STREAM_WARM_UP_FRAMES, m -> { });
        double after = rawFramesPerSecond(pipeline, streamed, frames);
        double half = (before[0] + after) / 4;
        DemoSummary halfLoad = DemoRun.run(options, enrolled -> half, STREAM_WARM_UP_FRAMES, m -> { });
        return new Run(before[0], after, fps > 0 ? fps : before[0], summary, half, halfLoad);
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Frames per second of the bare pipeline on encoded images, cycling through them, after a warm-up. */
    static double rawFramesPerSecond(FacePipelineConfig config, List<Path> files, int count) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images to measure the pipeline on");
        }
        List<byte[]> encoded = new ArrayList<>();
        for (Path file : files) {
            try {
                encoded.add(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (FacePipeline pipeline = new FacePipeline(config)) {
            for (int i = 0; i < RAW_WARM_UP_FRAMES; i++) {
                pipeline.analyze(pipeline.decoder().decode(encoded.get(i % encoded.size())));
            }
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                pipeline.analyze(pipeline.decoder().decode(encoded.get(i % encoded.size())));
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
