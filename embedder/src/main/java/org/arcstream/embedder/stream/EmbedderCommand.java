package org.arcstream.embedder.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.match.MatchThreshold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code embedder}: runs the embedder stream alone against an external Kafka cluster until stopped. */
@Command(name = "embedder", mixinStandardHelpOptions = true,
        description = "Run the embedder and matcher stream against a Kafka cluster until stopped (Ctrl-C or SIGTERM).")
public final class EmbedderCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EmbedderCommand.class);

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka cluster (default: kafka.bootstrap-servers).")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (keys of embedder.properties and arcstream.properties).")
    Path config;

    @Option(names = "--report-every", defaultValue = "30s", paramLabel = "DURATION",
            description = "How often to log throughput figures, e.g. 10s or 1m (default ${DEFAULT-VALUE}).")
    String reportEvery;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmbedderCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        EmbedderSettings settings = EmbedderSettings.load(config);
        if (bootstrapServers != null) {
            settings = settings.withBootstrapServers(bootstrapServers);
        }
        Duration interval = Duration.parse("PT" + reportEvery.toUpperCase(Locale.ROOT));
        Counters counters = new Counters();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // the JVM exits when the hook returns: let it wait until the stream has committed and closed
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "embedder-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaEmbedderRuntime embedder = KafkaEmbedderRuntime.start(settings, new MatchThreshold(settings.matchThreshold()), counters)) {
            LOG.info("embedder {} connecting to {} (frames from '{}', {}, batches of up to {} faces or {} ms)", settings.applicationId(),
                    settings.bootstrapServers(), settings.topics().frames(), settings.processingGuarantee(), settings.batchMaxFaces(),
                    settings.batchMaxWait().toMillis());
            boolean announced = false;
            long nextReport = System.nanoTime() + interval.toNanos();
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                if (!announced && embedder.ready()) {
                    LOG.info("embedder ready: {} identities enrolled", embedder.gallery().identities().size());
                    announced = true;
                }
                if (System.nanoTime() >= nextReport) {
                    LOG.info("state {}: {}", embedder.state(), counters.reportAndReset(interval));
                    nextReport += interval.toNanos();
                }
                if (embedder.state().equals("ERROR") || embedder.state().equals("NOT_RUNNING")) {
                    LOG.error("the embedder stopped (state {})", embedder.state());
                    return 1;
                }
            }
        } finally {
            closed.countDown();
        }
        return 0;
    }

    /** Throughput figures since the last report. */
    private static final class Counters implements PipelineListener {
        final AtomicLong frames = new AtomicLong(), faces = new AtomicLong(), matches = new AtomicLong(), known = new AtomicLong(),
                deadLetters = new AtomicLong(), batches = new AtomicLong(), inferenceNanos = new AtomicLong();

        @Override
        public void onFrame(String camera, int n) {
            frames.incrementAndGet();
        }

        @Override
        public void onBatch(int n, long nanos) {
            batches.incrementAndGet();
            faces.addAndGet(n);
            inferenceNanos.addAndGet(nanos);
        }

        @Override
        public void onMatch(MatchRecord match, long frameToMatchMillis) {
            matches.incrementAndGet();
            if (match.known()) {
                known.incrementAndGet();
            }
        }

        @Override
        public void onDeadLetter(String stage, String reason) {
            deadLetters.incrementAndGet();
        }

        String reportAndReset(Duration interval) {
            double seconds = interval.toMillis() / 1000.0;
            long b = batches.getAndSet(0), f = faces.getAndSet(0), nanos = inferenceNanos.getAndSet(0);
            return String.format(Locale.ROOT, "%.1f frames/s, %.1f faces/s, %d matches (%d known), %d dead letters, "
                    + "mean batch %.1f faces in %.1f ms", frames.getAndSet(0) / seconds, f / seconds, matches.getAndSet(0),
                    known.getAndSet(0), deadLetters.getAndSet(0), b == 0 ? 0.0 : (double) f / b, b == 0 ? 0.0 : nanos / 1e6 / b);
        }
    }
}
