package org.arcstream.ingest;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.Producer;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.ingest.publish.CameraStats;
import org.arcstream.ingest.publish.FrameProducers;
import org.arcstream.ingest.publish.FramePublisher;
import org.arcstream.ingest.publish.FramesTopicCheck;
import org.arcstream.ingest.publish.PublisherSettings;
import org.arcstream.ingest.publish.SentFrame;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSourceException;
import org.arcstream.ingest.source.FrameSources;
import org.arcstream.ingest.source.SourceOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arcstream ingest}: publishes one source as one camera's frames and prints what happened. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publishes an image folder, image or video file, RTSP camera or MJPEG camera URL to the frames topic.",
                "Stops at the end of a file source, or on Ctrl-C; then prints the camera's counts.",
                "Exit code: 0 done; 1 the source or Kafka could not be used, frames failed to send or the source broke off; "
                        + "2 usage error (bad option, a source path that does not exist, an unsupported URL scheme)."})
public final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka cluster")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = PublisherSettings.DEFAULT_TOPIC, description = "frames topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--camera", defaultValue = "camera-1", paramLabel = "ID", description = "camera id: record key and camera header (default: ${DEFAULT-VALUE})")
    String camera;

    @Option(names = "--source", required = true, paramLabel = "PATH|URL",
            description = "image folder (recursive), image or video file, rtsp://... or http(s):// MJPEG stream")
    String source;

    @Option(names = "--fps", defaultValue = "0", description = "target frame rate; files are paced, live streams drop the surplus; 0 = no limit (default)")
    double fps;

    @Option(names = "--max-frame-bytes",
            description = "larger frames are not sent, only counted (default: " + PublisherSettings.DEFAULT_MAX_FRAME_BYTES
                    + ", or less where the topic takes less)")
    Integer maxFrameBytes;

    @Option(names = "--loop", description = "start over at the end: files from the beginning, streams by reconnecting")
    boolean loop;

    @Option(names = "--read-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "connect and read timeout of streams (default: ${DEFAULT-VALUE})")
    int readTimeoutSeconds;

    @Option(names = "--json", description = "print the counts as one JSON object")
    boolean json;

    public static void main(String[] args) {
        Logging.useIngestConfiguration();
        System.exit(CommandLines.run(new IngestCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PublisherSettings settings;
        try {
            settings = new PublisherSettings(topic, fps, maxFrameBytes != null ? maxFrameBytes : PublisherSettings.DEFAULT_MAX_FRAME_BYTES,
                    PublisherSettings.DEFAULT_QUEUE_CAPACITY);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        checkSource();
        Duration timeout = Duration.ofSeconds(Math.max(1, readTimeoutSeconds));
        FrameSource frames;
        try {
            frames = FrameSources.open(source, SourceOptions.defaults().withTimeouts(timeout, timeout).withLoop(loop));
        } catch (FrameSourceException e) {
            err.println("arcstream ingest: cannot open source " + e.getMessage());
            return CommandLines.FAILURE;
        }
        try (frames) {
            int frameLimit;
            try {
                frameLimit = frameLimit(err);
            } catch (IllegalStateException e) {
                err.println("arcstream ingest: " + e.getMessage());
                return CommandLines.FAILURE;
            }
            try (Producer<String, byte[]> producer = FrameProducers.create(bootstrapServers, frameLimit)) {
                FramePublisher publisher = new FramePublisher(camera, producer, settings.withMaxFrameBytes(frameLimit));
                // Ctrl-C stops the publisher; the JVM may only go down once the counts are printed
                CountDownLatch reported = new CountDownLatch(1);
                Thread onCtrlC = new Thread(() -> {
                    publisher.stop();
                    try {
                        reported.await();
                    } catch (InterruptedException ignored) {
                        // the JVM is going down either way
                    }
                }, "ingest-shutdown");
                Runtime.getRuntime().addShutdownHook(onCtrlC);
                try {
                    String brokeOff = null;
                    try {
                        publisher.run(frames, SentFrame.Listener.none());
                    } catch (FrameSourceException e) {
                        brokeOff = e.getMessage();
                    }
                    CameraStats stats = publisher.stats();
                    print(out, stats);
                    if (brokeOff != null) {
                        err.println("arcstream ingest: source broke off: " + brokeOff);
                        err.flush();
                        return CommandLines.FAILURE;
                    }
                    return stats.failed() > 0 ? CommandLines.FAILURE : CommandLines.OK;
                } finally {
                    reported.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(onCtrlC);
                    } catch (IllegalStateException shuttingDown) {
                        // Ctrl-C: the hook is running and ends now that the counts are out
                    }
                }
            }
        }
    }

    /** A source path that does not exist, or a URL of a kind no source reads, is a usage error. */
    /**
     * The frame size limit: the one given, with a warning when the topic takes less; else the default, lowered
     * without a word to what the topic takes, so that a plain run against a broker's defaults is quiet.
     */
    private int frameLimit(PrintWriter err) {
        Duration timeout = Duration.ofSeconds(15);
        if (maxFrameBytes != null) {
            FramesTopicCheck.verify(bootstrapServers, topic, maxFrameBytes, timeout)
                    .ifPresent(warning -> err.println("arcstream ingest: warning: " + warning));
            return maxFrameBytes;
        }
        return Math.min(PublisherSettings.DEFAULT_MAX_FRAME_BYTES,
                FramesTopicCheck.largestFrame(bootstrapServers, topic, timeout).orElse(PublisherSettings.DEFAULT_MAX_FRAME_BYTES));
    }

    private void checkSource() {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            if (!lower.matches("^(rtsps?|https?)://.*")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot open source " + FrameSources.describe(source)
                        + ": unsupported scheme (rtsp, rtsps, http and https are)");
            }
        } else if (!Files.exists(Path.of(source))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot open source " + source + ": no such file or directory");
        }
    }

    private void print(PrintWriter out, CameraStats stats) throws Exception {
        if (json) {
            out.println(Json.line(stats));
        } else {
            out.printf("camera %s: read %d, sent %d, dropped %d, oversized %d, failed %d%n",
                    stats.camera(), stats.read(), stats.sent(), stats.dropped(), stats.oversized(), stats.failed());
        }
        out.flush();
    }
}
