package org.arcstream.embedder.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;
import org.arcstream.core.match.GalleryIndex;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.kafka.KafkaClientConfig;

/**
 * Everything an embedder instance needs: where Kafka is, the topics, the processing guarantee,
 * batching, the accepted cameras, centroids and the face pipeline. The service fills it from its
 * configuration records (package {@code admin}), whose defaults are the constants here; the demo and the tools
 * start from {@link #defaults}.
 *
 * @param kafka the cluster and the client properties (security) of every Kafka client of the instance
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param batchMaxFaces most faces per embedding inference call
 * @param batchMaxWait longest a located face waits for its batch to fill (wall clock)
 * @param batchFlushWhenIdle whether a partial batch goes, and is committed, as soon as the stream is idle
 * @param idleCommitInterval shortest time between two commits asked for because the stream went idle
 * @param knownCameras cameras whose frames are accepted; empty = every camera
 * @param subCentroids centroids per identity and model version (1 = the normalized mean)
 * @param exactScanLimit galleries with fewer identities are matched by an exact scan, larger ones through a scan of binary codes
 * @param matchThreshold initial cosine threshold of the matcher
 * @param failover session timeout, static membership and task timeout
 * @param learning which confident recognitions become training samples (off unless asked for)
 */
public record EmbedderSettings(
        KafkaClientConfig kafka,
        String applicationId,
        TopicNames topics,
        String processingGuarantee,
        int streamThreads,
        Duration commitInterval,
        int batchMaxFaces,
        Duration batchMaxWait,
        boolean batchFlushWhenIdle,
        Duration idleCommitInterval,
        Set<String> knownCameras,
        int subCentroids,
        int exactScanLimit,
        float matchThreshold,
        Path stateDir,
        FacePipelineConfig pipeline,
        FailoverSettings failover,
        LearningSettings learning) {

    // The defaults of defaults() and of the service's keys (embedder.kafka.*, embedder.stream.*, embedder.match.*):
    // compile-time constants, because the service's configuration records name them in annotations.
    public static final String APPLICATION_ID = "arcstream-embedder";
    public static final String PROCESSING_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;
    /** What {@code embedder.kafka.processing-guarantee} accepts, as a regular expression. */
    public static final String PROCESSING_GUARANTEES = StreamsConfig.EXACTLY_ONCE_V2 + "|" + StreamsConfig.AT_LEAST_ONCE;
    public static final int STREAM_THREADS = 1;
    public static final int COMMIT_INTERVAL_MS = 100;
    public static final int BATCH_MAX_FACES = 8;
    public static final int BATCH_MAX_WAIT_MS = 50;
    public static final boolean BATCH_FLUSH_WHEN_IDLE = true;
    /**
     * 0: every idle asks for a commit. Spacing them 50 ms apart, so that a stream idle between frames does not commit
     * after each one, gave worse half-load latency on a quiet 2-core machine (README, "Streaming benchmark"); the
     * setting stays for machines where a commit costs more than a frame.
     */
    public static final int IDLE_COMMIT_INTERVAL_MS = 0;
    public static final int SUB_CENTROIDS = 1;
    public static final int MAX_SUB_CENTROIDS = 255;

    private static final Set<String> GUARANTEES = Set.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);

    public EmbedderSettings {
        if (kafka == null) {
            throw new IllegalArgumentException("embedder.kafka.bootstrap-servers must not be empty");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("embedder.kafka.application-id must not be empty");
        }
        if (!GUARANTEES.contains(processingGuarantee)) {
            throw new IllegalArgumentException("embedder.kafka.processing-guarantee must be one of " + new TreeSet<>(GUARANTEES)
                    + ", got '" + processingGuarantee + "'");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("embedder.stream.threads must be at least 1, got " + streamThreads);
        }
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("embedder.stream.commit-interval must be positive");
        }
        if (batchMaxFaces < 1) {
            throw new IllegalArgumentException("embedder.stream.batch-size must be at least 1, got " + batchMaxFaces);
        }
        if (batchMaxWait.isNegative()) {
            throw new IllegalArgumentException("embedder.stream.batch-max-wait must not be negative");
        }
        if (idleCommitInterval == null || idleCommitInterval.isNegative()) {
            throw new IllegalArgumentException("embedder.stream.idle-commit-interval must not be negative");
        }
        if (subCentroids < 1 || subCentroids > MAX_SUB_CENTROIDS) {
            throw new IllegalArgumentException("embedder.match.sub-centroids must be 1.." + MAX_SUB_CENTROIDS + ", got " + subCentroids);
        }
        if (exactScanLimit < 0) {
            throw new IllegalArgumentException("embedder.match.exact-scan-limit must not be negative, got " + exactScanLimit);
        }
        if (!(matchThreshold >= -1f && matchThreshold <= 1f)) {
            throw new IllegalArgumentException("embedder.match.threshold must be a cosine similarity in [-1, 1], got " + matchThreshold);
        }
        knownCameras = Set.copyOf(knownCameras);
        stateDir = stateDir != null ? stateDir : stateHome().resolve("streams");
        failover = failover != null ? failover : FailoverSettings.defaults();
        learning = learning != null ? learning : LearningSettings.off();
    }

    private static KafkaClientConfig plaintext(String bootstrapServers) {
        return bootstrapServers == null || bootstrapServers.isBlank() ? null : KafkaClientConfig.of(bootstrapServers);
    }

    /**
     * {@code $XDG_STATE_HOME/arcstream}, else {@code ~/.local/state/arcstream}: where local state that should
     * outlive a run goes by default. Not the system temp dir, which the OS may clear under a running
     * application (Kafka Streams warns about a state dir there at every start).
     */
    public static Path stateHome() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("arcstream");
    }

    /** The service's defaults (the constants above) with a plaintext cluster and the given face pipeline. */
    public static EmbedderSettings defaults(String bootstrapServers, FacePipelineConfig pipeline, float matchThreshold) {
        return defaults(plaintext(bootstrapServers), pipeline, matchThreshold);
    }

    /** The service's defaults (the constants above) with the given cluster and face pipeline. */
    public static EmbedderSettings defaults(KafkaClientConfig kafka, FacePipelineConfig pipeline, float matchThreshold) {
        return new EmbedderSettings(kafka, APPLICATION_ID, TopicNames.defaults(), PROCESSING_GUARANTEE, STREAM_THREADS,
                Duration.ofMillis(COMMIT_INTERVAL_MS), BATCH_MAX_FACES, Duration.ofMillis(BATCH_MAX_WAIT_MS), BATCH_FLUSH_WHEN_IDLE,
                Duration.ofMillis(IDLE_COMMIT_INTERVAL_MS), Set.of(), SUB_CENTROIDS,
                GalleryIndex.DEFAULT_EXACT_SCAN_LIMIT, matchThreshold, null, pipeline, FailoverSettings.defaults(),
                LearningSettings.off());
    }

    /** The cluster's bootstrap servers (for messages; clients take all of {@link #kafka()}). */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public EmbedderSettings withBootstrapServers(String value) {
        return withKafka(value == null || value.isBlank() ? null : KafkaClientConfig.of(value, kafka.properties()));
    }

    public EmbedderSettings withKafka(KafkaClientConfig value) {
        return new EmbedderSettings(value, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withApplicationId(String value) {
        return new EmbedderSettings(kafka, value, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withProcessingGuarantee(String value) {
        return new EmbedderSettings(kafka, applicationId, topics, value, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withTopics(TopicNames value) {
        return new EmbedderSettings(kafka, applicationId, value, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withStreamThreads(int value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, value, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withCommitInterval(Duration value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, value,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withBatch(int maxFaces, Duration maxWait) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                maxFaces, maxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withBatchFlushWhenIdle(boolean value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, value, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withIdleCommitInterval(Duration value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, value, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withKnownCameras(Set<String> value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, value, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withSubCentroids(int value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, value, exactScanLimit, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withExactScanLimit(int value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, value, matchThreshold, stateDir, pipeline, failover, learning);
    }

    public EmbedderSettings withStateDir(Path value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, value, pipeline, failover, learning);
    }

    public EmbedderSettings withLearning(LearningSettings value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, failover, value);
    }

    public EmbedderSettings withFailover(FailoverSettings value) {
        return new EmbedderSettings(kafka, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, batchFlushWhenIdle, idleCommitInterval, knownCameras, subCentroids, exactScanLimit, matchThreshold, stateDir, pipeline, value, learning);
    }
}
