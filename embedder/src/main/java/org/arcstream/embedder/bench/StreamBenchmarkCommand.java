package org.arcstream.embedder.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.arcstream.core.config.Settings;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.embedder.demo.DemoRun;
import org.arcstream.embedder.demo.DemoSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./arcstream stream-benchmark}: the streaming path (in-process broker, embedder, matcher) at a
 * fixed offered frame rate, beside the raw face-pipeline rate measured in the same run on the same images.
 */
@Command(name = "stream-benchmark", mixinStandardHelpOptions = true,
        description = "Sustained frames/s and frame-to-match latency of the streaming path, as a ratio to the raw pipeline rate.")
public final class StreamBenchmarkCommand implements Callable<Integer> {

    // enough for the JIT to compile the image code: shorter warm-ups measured up to a third less
    private static final int WARM_UP_FRAMES = 100;

    @Option(names = "--gallery", required = true, paramLabel = "DIR", description = "One sub-folder of images per identity.")
    Path gallery;

    @Option(names = "--source", paramLabel = "DIR", description = "Images streamed as frames, looped (default: the gallery).")
    Path source;

    @Option(names = "--enroll-per-identity", defaultValue = "5", paramLabel = "N", description = "Images enrolled per identity.")
    int enrollPerIdentity;

    @Option(names = "--frames", defaultValue = "200", paramLabel = "N", description = "Frames streamed (and frames timed for the raw rate).")
    int frames;

    @Option(names = "--fps", defaultValue = "0",
            description = "Offered frame rate; 0 = the raw pipeline rate measured just before, so the ratio says whether streaming keeps up.")
    double fps;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (keys of arcstream.properties).")
    Path config;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamBenchmarkCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.load(config);
        FacePipelineConfig pipeline = FacePipelineConfig.from(settings);
        Path images = source != null ? source : gallery;
        List<Path> files = ImageFiles.expand(List.of(images));
        double rawBefore = rawFramesPerSecond(pipeline, files, frames);
        double offered = fps > 0 ? fps : rawBefore;
        DemoSummary s = DemoRun.run(new DemoRun.Options(gallery, images.toString(), enrollPerIdentity, offered, frames, true,
                settings.decimal("match.threshold"), pipeline, Duration.ofMinutes(10)), m -> { });
        // the baseline is measured on both sides of the stream, so that a drift of the machine hits both alike
        double rawAfter = rawFramesPerSecond(pipeline, files, frames);
        double raw = (rawBefore + rawAfter) / 2;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("raw_frames_per_s", round(raw));
        out.put("raw_frames_per_s_before", round(rawBefore));
        out.put("raw_frames_per_s_after", round(rawAfter));
        out.put("offered_frames_per_s", round(offered));
        out.put("stream_frames_per_s", round(s.sustainedFramesPerSecond()));
        out.put("ratio_stream_to_raw", Math.round(s.sustainedFramesPerSecond() / raw * 1000) / 1000.0);
        out.put("stream_frames_per_s_with_startup", round(s.framesPerSecond()));
        out.put("latency_p50_ms", s.latencyP50Millis());
        out.put("latency_p99_ms", s.latencyP99Millis());
        out.put("frames", s.frames());
        out.put("faces", s.faces());
        out.put("correct", s.correct());
        out.put("labeled", s.labeled());
        out.put("dead_lettered", s.deadLettered());
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf("raw pipeline      %.1f frames/s (decode, detect, landmarks, align, embed; one thread; "
                    + "%.1f before the stream, %.1f after)%n", raw, rawBefore, rawAfter);
            System.out.printf("offered           %.1f frames/s%n", offered);
            System.out.printf("streaming         %.1f frames/s sustained = %.2f of raw (%.1f frames/s with start-up); "
                    + "frame-to-match latency p50 %.0f ms, p99 %.0f ms%n", s.sustainedFramesPerSecond(), s.sustainedFramesPerSecond() / raw,
                    s.framesPerSecond(), s.latencyP50Millis(), s.latencyP99Millis());
            System.out.printf("%d frames, %d faces, %d of %d labeled frames correct, %d dead-lettered%n",
                    s.frames(), s.faces(), s.correct(), s.labeled(), s.deadLettered());
        }
        return s.frames() > 0 ? 0 : 1;
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
            for (int i = 0; i < WARM_UP_FRAMES; i++) {
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
