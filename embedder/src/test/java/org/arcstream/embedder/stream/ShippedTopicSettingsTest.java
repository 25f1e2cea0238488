package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The topic settings that bound how long a deleted person's data stays (README, "Deleting a person") are
 * the same in the embedder, which creates missing topics, and in the topics table of the topics Job that deploy/ ships
 * (deploy's own tests hold its Strimzi resources to that table).
 */
class ShippedTopicSettingsTest {

    private static final Pattern ROW = Pattern.compile("^\\s+([a-z-]+)\\s+\\d+\\s+(\\S+)$");

    @Test
    void theEmbeddersTopicSettingsAreTheShippedOnes() throws Exception {
        Path table = Path.of("..", "deploy", "k8s", "topics-job", "topics.yaml");
        assertTrue(Files.isRegularFile(table), table.toAbsolutePath().toString());
        Map<String, Map<String, String>> shipped = new HashMap<>();
        for (String line : Files.readAllLines(table)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Map<String, String> configs = new HashMap<>();
                for (String pair : m.group(2).split(",")) {
                    String[] kv = pair.split("=", 2);
                    configs.put(kv[0], kv[1]);
                }
                shipped.put(m.group(1), configs);
            }
        }
        Map<String, Map<String, String>> embedder = Map.of("enrollment", EmbedderTopics.COMPACTED, "centroids", EmbedderTopics.COMPACTED,
                "recognitions", EmbedderTopics.COMPACTED,
                "frames", EmbedderTopics.FRAMES, "faces", EmbedderTopics.FACES, "matches", EmbedderTopics.MATCHES,
                "dead-letter", EmbedderTopics.DEAD_LETTER);
        embedder.forEach((topic, configs) -> configs.forEach((key, value) ->
                assertEquals(value, shipped.getOrDefault(topic, Map.of()).get(key), topic + " " + key + " in " + table)));
    }
}
