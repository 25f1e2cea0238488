package org.arcstream.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./arcstream demo}: the streaming pipeline on an in-process broker, one line per match and a summary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run broker, embedder and matcher in this process: enroll a gallery, stream images as frames, print matches.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--gallery", required = true, paramLabel = "DIR", description = "One sub-folder of images per identity.")
    Path gallery;

    @Option(names = "--source", required = true, paramLabel = "PATH|URL",
            description = "What to stream as camera frames: an image folder or file, a video file, an rtsp:// or an MJPEG http:// camera.")
    String source;

    @Option(names = "--enroll-per-identity", defaultValue = "0", paramLabel = "N",
            description = "Enroll only the first N images of each identity (0 = all); enrolled images are not streamed.")
    int enrollPerIdentity;

    @Option(names = "--fps", defaultValue = "0", description = "Offered frame rate (0 = as fast as possible).")
    double fps;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Stop after N frames (0 = at the end of the source; needed for cameras and --loop).")
    int maxFrames;

    @Option(names = "--loop", description = "Start the source over at its end (files) or reconnect (cameras); needs --max-frames.")
    boolean loop;

    @Option(names = "--max-frame-bytes", defaultValue = "0", paramLabel = "N",
            description = "Frames larger than this are not sent, only counted as dropped (0 = the largest the in-process broker accepts).")
    int maxFrameBytes;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (keys of arcstream.properties).")
    Path config;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.run(new DemoCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        CommandLines.requireExisting(spec, gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, config, "--config", CommandLines.PathKind.FILE);
        Settings settings = Settings.load(config);
        var out = System.out;
        DemoSummary s = DemoRun.run(new DemoRun.Options(gallery, source, enrollPerIdentity, fps, maxFrames, loop,
                settings.decimal("match.threshold"), FacePipelineConfig.from(settings), Duration.ofMinutes(10), maxFrameBytes),
                m -> out.println(line(m)));
        DemoSummary.Dropped dropped = s.dropped();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("frames", s.frames());
            summary.put("faces", s.faces());
            summary.put("recognized", s.recognized());
            summary.put("unknown", s.unknown());
            summary.put("labeled", s.labeled());
            summary.put("correct", s.correct());
            summary.put("dead_lettered", s.deadLettered());
            summary.put("frames_per_s", Math.round(s.framesPerSecond() * 10) / 10.0);
            summary.put("latency_p50_ms", s.latencyP50Millis());
            summary.put("latency_p99_ms", s.latencyP99Millis());
            // every frame offered: sent (matched, dead-lettered, no verdict in time) or dropped, by reason
            summary.put("offered", s.offered());
            summary.put("frames_sent", s.frames());
            summary.put("frames_matched", s.framesMatched());
            summary.put("frames_dead_lettered", s.framesDeadLettered());
            summary.put("frames_without_verdict", s.framesWithoutVerdict());
            summary.put("dropped", dropped.total());
            summary.put("dropped_unreadable", dropped.unreadable());
            summary.put("dropped_too_large", dropped.tooLarge());
            summary.put("dropped_rejected", dropped.rejected());
            summary.put("dropped_left_out", dropped.leftOut());
            summary.put("dropped_reasons", dropped.reasons());
            summary.put("max_frame_bytes", dropped.maxFrameBytes());
            out.println(Json.line(summary));
        } else {
            out.printf("%d frames offered: %d sent (%d matched, %d dead-lettered%s), %d dropped%s%n", s.offered(), s.frames(),
                    s.framesMatched(), s.framesDeadLettered(),
                    s.framesWithoutVerdict() > 0 ? ", " + s.framesWithoutVerdict() + " without a verdict in time" : "",
                    dropped.total(), dropped.total() > 0 ? ": " + String.join(", ", dropped.reasons()) : "");
            out.printf("frames %d, faces %d, recognized %d, unknown %d, correct %d of %d labeled, dead-lettered %d%n",
                    s.frames(), s.faces(), s.recognized(), s.unknown(), s.correct(), s.labeled(), s.deadLettered());
            out.printf("%.1f frames/s, frame-to-match latency p50 %.0f ms, p99 %.0f ms%n",
                    s.framesPerSecond(), s.latencyP50Millis(), s.latencyP99Millis());
        }
        return s.frames() > 0 ? CommandLines.OK : CommandLines.FAILURE;
    }

    private static String line(MatchRecord m) {
        return String.format("%s #%d face %d: %s (score %.3f, runner-up %.3f)",
                m.camera(), m.sequence(), m.face(), m.known() ? m.name() : "unknown", m.score(), m.runnerUpScore());
    }
}
