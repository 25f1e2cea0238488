package org.arcstream.embedder.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The stream's Micrometer meters (exposed at /prometheus) and the totals the admin API reports. */
public final class PipelineMetrics {

    /** Label of frames from cameras that are not in {@code embedder.stream.cameras}. */
    static final String OTHER_CAMERA = "other";

    private final MeterRegistry registry;
    private final Set<String> knownCameras;
    private final Map<String, Counter> framesByCamera = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettersByStage = new ConcurrentHashMap<>();
    private final Map<String, Counter> skippedByInput = new ConcurrentHashMap<>();
    private final Counter faces;
    private final Counter recognized;
    private final Counter unknown;
    private final DistributionSummary batchFaces;
    private final Timer inference;
    private final Timer frameToMatch;

    public PipelineMetrics(MeterRegistry registry, Set<String> knownCameras) {
        this.registry = registry;
        this.knownCameras = Set.copyOf(knownCameras);
        this.faces = Counter.builder("arcstream.faces").description("Faces found in frames").register(registry);
        this.recognized = matches(registry, "recognized");
        this.unknown = matches(registry, "unknown");
        this.batchFaces = DistributionSummary.builder("arcstream.embedding.batch.faces")
                .description("Faces per embedding inference call")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        this.inference = Timer.builder("arcstream.embedding.inference")
                .description("Duration of one embedding inference call")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.frameToMatch = Timer.builder("arcstream.frame.to.match")
                .description("From a frame's capture time to its match being emitted")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        // known cameras are listed at zero from the start, so a silent camera shows up as such
        this.knownCameras.forEach(this::frameCounter);
    }

    private static Counter matches(MeterRegistry registry, String outcome) {
        return Counter.builder("arcstream.matches").description("Faces matched, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private Counter frameCounter(String camera) {
        String label = knownCameras.contains(camera) ? camera : OTHER_CAMERA;
        return framesByCamera.computeIfAbsent(label, c -> Counter.builder("arcstream.frames")
                .description("Frames decoded, by camera").tag("camera", c).register(registry));
    }

    public void frame(String camera, int facesInFrame) {
        frameCounter(camera).increment();
        faces.increment(facesInFrame);
    }

    public void batch(int facesInBatch, long inferenceNanos) {
        batchFaces.record(facesInBatch);
        inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    }

    public void match(boolean known, long frameToMatchMillis) {
        (known ? recognized : unknown).increment();
        // a capture time from a camera with a fast clock would give a negative latency: not a measurement
        if (frameToMatchMillis >= 0) {
            frameToMatch.record(frameToMatchMillis, TimeUnit.MILLISECONDS);
        }
    }

    public void deadLetter(String stage) {
        deadLettersByStage.computeIfAbsent(stage == null ? "unknown" : stage, s -> Counter.builder("arcstream.dead.letters")
                .description("Records sent to the dead-letter topic, by stage").tag("stage", s).register(registry))
                .increment();
    }

    /** A record of {@code input} was neither used nor dead-lettered; {@code kind} is the reason's kind (before its colon). */
    public void skipped(String input, String kind) {
        String in = input == null ? "unknown" : input;
        String k = kind == null ? "unknown" : kind;
        skippedByInput.computeIfAbsent(in + "\n" + k, key -> Counter.builder("arcstream.skipped.records")
                .description("Records neither used nor dead-lettered, by input topic and reason").tag("input", in).tag("reason", k)
                .register(registry)).increment();
    }

    /** Totals since start. */
    public PipelineCounters counters() {
        return new PipelineCounters(
                (long) framesByCamera.values().stream().mapToDouble(Counter::count).sum(),
                (long) faces.count(),
                (long) recognized.count(),
                (long) unknown.count(),
                (long) deadLettersByStage.values().stream().mapToDouble(Counter::count).sum(),
                (long) skippedByInput.values().stream().mapToDouble(Counter::count).sum());
    }
}
