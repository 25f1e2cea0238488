package org.arcstream.embedder.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every embedder.* key is validated once, when the service starts: a bad value stops the start with one message
 * naming the key, its environment variable and the value; values reach the service from environment variables.
 */
class ConfigurationValidationTest {

    private static ApplicationContext start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        // no Kafka cluster needed: the records are validated whether or not the stream runs
        all.put("embedder.stream.enabled", false);
        all.put("embedder.admin.password", "configured");
        all.putAll(properties);
        return ApplicationContext.builder().deduceEnvironment(false).properties(all).start();
    }

    private static String startupFailure(String key, Object value) {
        Exception e = assertThrows(Exception.class, () -> start(Map.of(key, value)).close(), key + "=" + value + " started");
        return rootMessage(e);
    }

    @Test
    void badValuesStopTheStartNamingTheKey() {
        assertEquals("embedder.stream.batch-size (EMBEDDER_STREAM_BATCH_SIZE) must be greater than or equal to 1, got 0",
                startupFailure("embedder.stream.batch-size", 0));
        assertEquals("embedder.match.threshold (EMBEDDER_MATCH_THRESHOLD) must be less than or equal to 1, got 2.0",
                startupFailure("embedder.match.threshold", 2));
        assertEquals("embedder.match.sub-centroids (EMBEDDER_MATCH_SUB_CENTROIDS) must be less than or equal to 255, got 256",
                startupFailure("embedder.match.sub-centroids", 256));
        assertEquals("embedder.stream.commit-interval (EMBEDDER_STREAM_COMMIT_INTERVAL) must be at least 1ms, got 0ms",
                startupFailure("embedder.stream.commit-interval", "0s"));
        assertEquals("embedder.kafka.session-timeout (EMBEDDER_KAFKA_SESSION_TIMEOUT) must be at least 1s, got 500ms",
                startupFailure("embedder.kafka.session-timeout", "500ms"));
        assertTrue(startupFailure("embedder.kafka.processing-guarantee", "exactly_once").startsWith(
                "embedder.kafka.processing-guarantee (EMBEDDER_KAFKA_PROCESSING_GUARANTEE) must match \"exactly_once_v2|at_least_once\""));
        assertEquals("embedder.topics.dead-letter (EMBEDDER_TOPICS_DEAD_LETTER) must not be blank, got ' '",
                startupFailure("embedder.topics.dead-letter", " "));
        assertEquals("embedder.admin.recent-matches (EMBEDDER_ADMIN_RECENT_MATCHES) must be greater than or equal to 1, got 0",
                startupFailure("embedder.admin.recent-matches", 0));
        assertEquals("embedder.models.reindex-timeout (EMBEDDER_MODELS_REINDEX_TIMEOUT) must be at least 1ms, got 0ms",
                startupFailure("embedder.models.reindex-timeout", "0s"));
    }

    @Test
    void defaultsAndGoodValuesStart() {
        try (ApplicationContext context = start(Map.of("embedder.stream.batch-size", 32, "embedder.match.threshold", -1))) {
            assertEquals(32, context.getBean(StreamProperties.class).batchSize());
            assertEquals(Duration.ofMillis(50), context.getBean(StreamProperties.class).batchMaxWait());
            assertEquals(-1f, context.getBean(MatchProperties.class).threshold());
            assertEquals("exactly_once_v2", context.getBean(KafkaProperties.class).processingGuarantee());
        }
    }

    /** A separate JVM, because only a new process gets new environment variables. */
    @Test
    void environmentVariablesReachTheSettings() throws Exception {
        Result ok = runWithEnvironment(Map.of(
                "EMBEDDER_STREAM_BATCH_SIZE", "3",
                "EMBEDDER_STREAM_BATCH_MAX_WAIT", "20ms",
                "EMBEDDER_MATCH_THRESHOLD", "0.5",
                "EMBEDDER_TOPICS_DEAD_LETTER", "dlq",
                "EMBEDDER_STREAM_CAMERAS", "gate-1,gate-2"));
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains("settings: 3 PT0.02S 0.5 dlq [gate-1, gate-2]"), ok.output());

        Result bad = runWithEnvironment(Map.of("EMBEDDER_STREAM_BATCH_SIZE", "0"));
        assertNotEquals(0, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains(
                "failed: embedder.stream.batch-size (EMBEDDER_STREAM_BATCH_SIZE) must be greater than or equal to 1, got 0"), bad.output());
    }

    private record Result(int exitCode, String output) {}

    private static Result runWithEnvironment(Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PrintSettings.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("EMBEDDER_STREAM_ENABLED", "false");
        builder.environment().put("EMBEDDER_ADMIN_PASSWORD", "from-the-environment");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** The child JVM: starts the service's configuration from the environment and prints what it got. */
    public static final class PrintSettings {

        public static void main(String[] args) {
            try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start()) {
                StreamProperties stream = context.getBean(StreamProperties.class);
                System.out.println("settings: " + stream.batchSize() + " " + stream.batchMaxWait() + " "
                        + context.getBean(MatchProperties.class).threshold() + " " + context.getBean(TopicProperties.class).deadLetter()
                        + " " + stream.cameras());
            } catch (RuntimeException e) {
                System.out.println("failed: " + rootMessage(e));
                System.exit(1);
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
