package org.arcstream.embedder.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;

/**
 * Everything an embedder instance needs: where Kafka is, the topics, the processing guarantee,
 * batching, the accepted cameras, centroids and the face pipeline. Keys and defaults are in
 * {@code embedder.properties}.
 *
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param batchMaxFaces most faces per embedding inference call
 * @param batchMaxWait longest a located face waits for its batch to fill (wall clock)
 * @param knownCameras cameras whose frames are accepted; empty = every camera
 * @param subCentroids centroids per identity and model version (1 = the normalized mean)
 * @param matchThreshold initial cosine threshold of the matcher
 */
public record EmbedderSettings(
        String bootstrapServers,
        String applicationId,
        TopicNames topics,
        String processingGuarantee,
        int streamThreads,
        Duration commitInterval,
        int batchMaxFaces,
        Duration batchMaxWait,
        Set<String> knownCameras,
        int subCentroids,
        float matchThreshold,
        Path stateDir,
        FacePipelineConfig pipeline) {

    private static final Set<String> GUARANTEES = Set.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);

    public EmbedderSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers must not be empty");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("stream.application-id must not be empty");
        }
        if (!GUARANTEES.contains(processingGuarantee)) {
            throw new IllegalArgumentException("stream.processing-guarantee must be one of " + new TreeSet<>(GUARANTEES)
                    + ", got '" + processingGuarantee + "'");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("stream.threads must be at least 1, got " + streamThreads);
        }
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("stream.commit-interval-ms must be positive");
        }
        if (batchMaxFaces < 1) {
            throw new IllegalArgumentException("batch.max-faces must be at least 1, got " + batchMaxFaces);
        }
        if (batchMaxWait.isNegative()) {
            throw new IllegalArgumentException("batch.max-wait-ms must not be negative");
        }
        if (subCentroids < 1 || subCentroids > 255) {
            throw new IllegalArgumentException("match.sub-centroids must be 1..255, got " + subCentroids);
        }
        if (!(matchThreshold >= -1f && matchThreshold <= 1f)) {
            throw new IllegalArgumentException("match.threshold must be a cosine similarity in [-1, 1], got " + matchThreshold);
        }
        knownCameras = Set.copyOf(knownCameras);
        stateDir = stateDir != null ? stateDir : Path.of(System.getProperty("java.io.tmpdir"), "arcstream-streams");
    }

    /** The defaults of {@code embedder.properties} with the given cluster and face pipeline. */
    public static EmbedderSettings defaults(String bootstrapServers, FacePipelineConfig pipeline, float matchThreshold) {
        return new EmbedderSettings(bootstrapServers, "arcstream-embedder", TopicNames.defaults(), StreamsConfig.EXACTLY_ONCE_V2,
                1, Duration.ofMillis(100), 8, Duration.ofMillis(50), Set.of(), 1, matchThreshold, null, pipeline);
    }

    /**
     * Reads {@code embedder.properties} defaults, then the file (may be null; it may also hold core
     * keys such as {@code match.threshold} or {@code embedding.model}), then {@code ARCSTREAM_*}
     * environment variables and {@code arcstream.*} system properties.
     */
    public static EmbedderSettings load(Path file) {
        Map<String, String> env = System.getenv();
        Properties system = System.getProperties();
        Properties defaults = new Properties();
        try (InputStream in = EmbedderSettings.class.getResourceAsStream("/embedder.properties")) {
            defaults.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("embedder.properties is missing from the classpath", e);
        }
        Properties fromFile = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read settings file " + file + ": " + e.getMessage(), e);
            }
        }
        // one value per key with the same precedence as core Settings: default < file < environment < system property
        Function<String, String> value = key -> {
            String v = system.getProperty("arcstream." + key);
            v = v != null ? v : env.get(Settings.envName(key));
            v = v != null ? v : fromFile.getProperty(key);
            v = v != null ? v : defaults.getProperty(key);
            return v == null ? null : v.trim();
        };
        Settings core = Settings.load(null);
        for (String key : fromFile.stringPropertyNames()) {
            if (!defaults.containsKey(key)) {
                // not an embedder key: a core key (refused by name when unknown)
                core = core.with(key, value.apply(key));
            }
        }
        Function<String, Integer> integer = key -> {
            try {
                return Integer.parseInt(value.apply(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + " (env " + Settings.envName(key) + ") must be an integer, got '"
                        + value.apply(key) + "'");
            }
        };
        TopicNames topics = new TopicNames(value.apply("topics.frames"), value.apply("topics.faces"), value.apply("topics.matches"),
                value.apply("topics.dead-letter"), value.apply("topics.enrollment"), value.apply("topics.centroids"));
        Set<String> cameras = new TreeSet<>();
        Arrays.stream(value.apply("cameras.known").split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(cameras::add);
        String stateDir = value.apply("stream.state-dir");
        return new EmbedderSettings(
                value.apply("kafka.bootstrap-servers"),
                value.apply("stream.application-id"),
                topics,
                value.apply("stream.processing-guarantee").toLowerCase(Locale.ROOT),
                integer.apply("stream.threads"),
                Duration.ofMillis(integer.apply("stream.commit-interval-ms")),
                integer.apply("batch.max-faces"),
                Duration.ofMillis(integer.apply("batch.max-wait-ms")),
                cameras,
                integer.apply("match.sub-centroids"),
                core.decimal("match.threshold"),
                stateDir.isEmpty() ? null : Path.of(stateDir),
                FacePipelineConfig.from(core));
    }

    public EmbedderSettings withBootstrapServers(String value) {
        return new EmbedderSettings(value, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, knownCameras, subCentroids, matchThreshold, stateDir, pipeline);
    }

    public EmbedderSettings withApplicationId(String value) {
        return new EmbedderSettings(bootstrapServers, value, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, knownCameras, subCentroids, matchThreshold, stateDir, pipeline);
    }

    public EmbedderSettings withProcessingGuarantee(String value) {
        return new EmbedderSettings(bootstrapServers, applicationId, topics, value, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, knownCameras, subCentroids, matchThreshold, stateDir, pipeline);
    }

    public EmbedderSettings withBatch(int maxFaces, Duration maxWait) {
        return new EmbedderSettings(bootstrapServers, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                maxFaces, maxWait, knownCameras, subCentroids, matchThreshold, stateDir, pipeline);
    }

    public EmbedderSettings withKnownCameras(Set<String> value) {
        return new EmbedderSettings(bootstrapServers, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, value, subCentroids, matchThreshold, stateDir, pipeline);
    }

    public EmbedderSettings withSubCentroids(int value) {
        return new EmbedderSettings(bootstrapServers, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, knownCameras, value, matchThreshold, stateDir, pipeline);
    }

    public EmbedderSettings withStateDir(Path value) {
        return new EmbedderSettings(bootstrapServers, applicationId, topics, processingGuarantee, streamThreads, commitInterval,
                batchMaxFaces, batchMaxWait, knownCameras, subCentroids, matchThreshold, value, pipeline);
    }
}
