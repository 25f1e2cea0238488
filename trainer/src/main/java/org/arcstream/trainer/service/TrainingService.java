package org.arcstream.trainer.service;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.arcstream.core.cli.Json;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.trainer.data.CropSpill;
import org.arcstream.trainer.finetune.RunReport;
import org.arcstream.trainer.finetune.TrainingJob;
import org.arcstream.trainer.finetune.TrainingProgress;
import org.arcstream.trainer.delivery.PublishConfig;
import org.arcstream.trainer.delivery.S3ModelUpload;
import org.arcstream.trainer.delivery.S3PublishConfig;
import org.arcstream.trainer.publish.ModelDelivery;
import org.arcstream.trainer.publish.PublicationReconciler;
import org.arcstream.trainer.store.FileModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training jobs one at a time on a dedicated thread: a run asked for while another is queued or
 * running is refused (the caller sees the active run), so the schedule and the admin endpoint cannot
 * pile up CPU-heavy runs.
 */
@Singleton
public final class TrainingService {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);
    /** Kafka client properties of the service: {@code trainer.kafka.security.protocol=SASL_SSL}, ... */
    static final String KAFKA_PREFIX = "trainer.kafka";

    private final TrainerConfig config;
    private final TrainingConfig training;
    private final GateConfig gate;
    private final LearningConfig learning;
    private final RunHistory history;
    private final FileModelStore store;
    private final KafkaClientConfig kafka;
    private final ModelDelivery delivery;
    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger counter = new AtomicInteger();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trainer-run");
        t.setDaemon(true);
        return t;
    });

    public TrainingService(TrainerConfig config, TrainingConfig training, GateConfig gate, LearningConfig learning, RunHistory history,
            PublishConfig publish, S3PublishConfig s3, Environment environment) {
        this.config = config;
        this.training = training;
        this.gate = gate;
        this.learning = learning;
        this.history = history;
        // fail at startup, not at the first run, on settings that cannot work
        training.toSettings();
        gate.toPolicy();
        learning.toRules();
        if (config.galleryDir() == null && (config.bootstrapServers() == null || config.bootstrapServers().isBlank())) {
            throw new IllegalStateException("set trainer.gallery-dir or trainer.bootstrap-servers: the trainer needs training data");
        }
        this.store = new FileModelStore(config.storeDir(), Clock.systemUTC(), publish.locations());
        this.kafka = blankToNull(config.bootstrapServers()) == null ? null : KafkaClientConfig.resolve(config.bootstrapServers(),
                KafkaClientConfig.flatten(environment.getProperties(KAFKA_PREFIX, StringConvention.RAW)));
        if (kafka != null) {
            LOG.info("Kafka clients: {}", kafka);
        }
        // builds the client only: the first request goes out with the first model delivered
        this.delivery = s3.enabled() ? S3ModelUpload.open(s3) : ModelDelivery.FROM_STORE;
        if (s3.enabled()) {
            LOG.info("published models are copied to the bucket first: {}", s3);
        }
    }

    public FileModelStore store() {
        return store;
    }

    /** The outcome of a request for a run: the new run, or the one already active. */
    public record Submission(RunStatus run, boolean started) {}

    public Submission submit(String trigger) {
        String id = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + counter.incrementAndGet();
        RunStatus queued = RunStatus.queued(id, trigger, clock.millis());
        Optional<RunStatus> active = history.addIfIdle(queued);
        if (active.isPresent()) {
            LOG.info("run request ignored trigger={} active_run={}", trigger, active.get().id());
            return new Submission(active.get(), false);
        }
        LOG.info("run queued run={} trigger={}", id, trigger);
        worker.submit(() -> execute(id));
        return new Submission(queued, true);
    }

    private void execute(String id) {
        history.update(id, s -> s.started(clock.millis()));
        Path runDir = config.storeDir().resolve("runs").resolve(id);
        TrainingJob job = new TrainingJob(config.galleryDir(), kafka, config.enrollmentTopic(),
                config.modelsTopic(), config.activeModelTopic(), config.model(), store, training.toSettings(), gate.toPolicy(), InferenceOptions.defaults(), delivery,
                learning.toRules());
        try {
            RunReport report = job.run(runDir, new LoggedProgress(id));
            Files.writeString(runDir.resolve("report.json"), Json.pretty(report));
            history.update(id, s -> s.succeeded(report, clock.millis()));
            LOG.info("run finished run={} decision={} published={} reason=\"{}\"", id, report.gate().label(),
                    report.publishedVersion(), report.gate().reason());
        } catch (Exception | Error e) {
            history.update(id, s -> s.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), clock.millis()));
            LOG.error("run failed run={} error=\"{}\"", id, e.getMessage(), e);
        }
    }

    /** Before any run (runs queue behind it on the same thread): no version stays half-published from before a restart. */
    @EventListener
    void reconcileOnStartup(StartupEvent event) {
        worker.submit(() -> {
            CropSpill.removeLeftovers(config.storeDir().resolve("runs"))
                    .forEach(file -> LOG.warn("removed {}: training crops left by a run whose process was stopped", file));
            try {
                new PublicationReconciler(store, kafka, config.modelsTopic(), Duration.ofSeconds(30), delivery).reconcile();
            } catch (RuntimeException e) {
                // every run reconciles again before it starts
                LOG.error("could not reconcile the model store with topic {}: {}", config.modelsTopic(), e.getMessage(), e);
            }
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
        if (delivery instanceof S3ModelUpload upload) {
            upload.close();
        }
    }

    /** Run progress as structured log lines (a line per phase, and per step at most every 10 steps) and in the run status. */
    private final class LoggedProgress implements TrainingProgress {
        private final String id;

        LoggedProgress(String id) {
            this.id = id;
        }

        @Override
        public void phase(String name) {
            history.update(id, s -> s.phase(name));
            LOG.info("run phase run={} phase=\"{}\"", id, name);
        }

        @Override
        public void step(int epoch, int epochs, int step, int totalSteps, double loss, double accuracy) {
            history.update(id, s -> s.step(step, totalSteps, loss));
            if (step % 10 == 0 || step == totalSteps || step == 1) {
                LOG.info("run step run={} epoch={}/{} step={}/{} loss={} accuracy={}", id, epoch, epochs, step, totalSteps,
                        String.format(java.util.Locale.ROOT, "%.4g", loss), String.format(java.util.Locale.ROOT, "%.3f", accuracy));
            }
        }
    }
}
