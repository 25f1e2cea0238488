package org.arcstream.deploy.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.TopicCommand;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.deploy.topics.TopicsConf.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topics Job: its table covers the pipeline, and its script creates exactly that on a real broker. */
class TopicsJobTest {

    private static final Set<String> COMPACTED = Set.of("enrollment", "centroids", "recognitions", "models", "active-model");
    private static final Set<String> PIPELINE = Set.of("frames", "faces", "matches", "dead-letter", "enrollment", "centroids", "models",
            "active-model", "labels", "recognitions");
    private static final String MOUNT = "/etc/arcstream";

    private final Rendering rendering = Rendering.topicsJob();

    @Test
    void theTableCreatesEveryTopicOfThePipelineWithItsCleanupPolicy() {
        TopicsConf conf = TopicsConf.of(rendering);
        assertEquals(PIPELINE, conf.topics().stream().map(Topic::name).collect(Collectors.toSet()));
        for (Topic topic : conf.topics()) {
            assertTrue(topic.partitions() >= 1, topic.toString());
            boolean compacted = "compact".equals(topic.configs().get("cleanup.policy"));
            assertEquals(COMPACTED.contains(topic.name()), compacted, topic.name() + " cleanup.policy");
        }
        assertNotNull(conf.topic("frames").configs().get("retention.ms"), "frames (raw images) must have a retention");
        // the embedder refuses an enrollment topic with more: an identity's samples must meet in one task
        assertEquals(1, conf.topic("enrollment").partitions(), "enrollment partitions");
    }

    @Test
    void theJobRunsTheScriptOfItsConfigMapWithKafkasTool() {
        Map<String, Object> job = rendering.get("Job", "arcstream-topics");
        Map<String, Object> container = Rendering.mainContainer(job);
        assertTrue(Tree.string(container, "image").startsWith("apache/kafka:"), Tree.string(container, "image"));
        assertEquals(List.of("/bin/sh", MOUNT + "/create-topics.sh"), Tree.list(container, "command"));
        boolean mounted = Tree.maps(container, "volumeMounts").stream().anyMatch(m -> MOUNT.equals(m.get("mountPath"))
                && Tree.maps(Rendering.podSpec(job), "volumes").stream().anyMatch(v -> v.get("name").equals(m.get("name"))
                        && TopicsConf.CONFIG_MAP.equals(Tree.string(v, "configMap", "name"))));
        assertTrue(mounted, "the Job does not mount " + TopicsConf.CONFIG_MAP + " at " + MOUNT);
        String bootstrapFrom = Tree.string(Tree.maps(container, "envFrom").get(0), "configMapRef", "name");
        // the bootstrap address is the services' own, from the overlay the Job is applied beside
        for (String overlay : Rendering.OVERLAYS) {
            assertNotNull(Tree.string(Rendering.of(overlay).get("ConfigMap", bootstrapFrom), "data", "KAFKA_BOOTSTRAP_SERVERS"), overlay);
        }
        assertTrue(Tree.maps(container, "env").stream().anyMatch(e -> "REPLICATION_FACTOR".equals(e.get("name"))));
    }

    @Test
    void theScriptCreatesTheTableOnABrokerAndCanRunAgain(@TempDir Path dir) throws Exception {
        Map<String, Object> data = Tree.map(rendering.get("ConfigMap", TopicsConf.CONFIG_MAP), "data");
        Path script = dir.resolve("create-topics.sh");
        Path conf = dir.resolve("topics.conf");
        Files.writeString(script, data.get("create-topics.sh").toString());
        Files.writeString(conf, data.get("topics.conf").toString());
        Path kafkaHome = dir.resolve("kafka");
        Path calls = dir.resolve("calls");
        writeRecordingKafkaTopics(kafkaHome, calls);
        TopicsConf expected = TopicsConf.parse(data.get("topics.conf").toString());

        // the administrator's client settings of Secret arcstream-topics-client (here: settings a plaintext broker takes)
        Path clientConfig = dir.resolve("client.properties");
        Files.writeString(clientConfig, "client.id=arcstream-topics\n");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "REPLICATION_FACTOR", "1",
                    "TOPICS_FILE", conf.toString(), "KAFKA_HOME", kafkaHome.toString(), "CLIENT_CONFIG", clientConfig.toString());
            runScript(script, env, dir.resolve("script.log"));
            List<List<String>> invocations = invocations(calls);
            assertEquals(expected.topics().size(), invocations.size(), "one kafka-topics.sh call per topic: " + invocations);
            for (List<String> invocation : invocations) {
                assertEquals(List.of("--command-config", clientConfig.toString()), invocation.subList(invocation.size() - 2, invocation.size()),
                        "the client settings are not passed on: " + invocation);
            }
            invocations.forEach(TopicsJobTest::runTopicCommand);
            try (Admin admin = broker.admin()) {
                Set<String> names = expected.topics().stream().map(Topic::name).collect(Collectors.toSet());
                Map<String, TopicDescription> described = describeOnceVisible(admin, names);
                Collection<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
                Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
                for (Topic topic : expected.topics()) {
                    assertEquals(topic.partitions(), described.get(topic.name()).partitions().size(), topic.name() + " partitions");
                    Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                    topic.configs().forEach((key, value) -> assertEquals(value, config.get(key).value(), topic.name() + " " + key));
                }
            }
            // the Job is retried after a failure: topics that exist already are no error
            invocations.forEach(TopicsJobTest::runTopicCommand);
        }
    }

    @Test
    void withoutTheClientSecretTheScriptPassesNoClientSettings(@TempDir Path dir) throws Exception {
        Map<String, Object> data = Tree.map(rendering.get("ConfigMap", TopicsConf.CONFIG_MAP), "data");
        Path script = dir.resolve("create-topics.sh");
        Path conf = dir.resolve("topics.conf");
        Files.writeString(script, data.get("create-topics.sh").toString());
        Files.writeString(conf, data.get("topics.conf").toString());
        Path kafkaHome = dir.resolve("kafka");
        Path calls = dir.resolve("calls");
        writeRecordingKafkaTopics(kafkaHome, calls);
        // the Secret is optional: its folder is then empty
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "REPLICATION_FACTOR", "1", "TOPICS_FILE", conf.toString(),
                "KAFKA_HOME", kafkaHome.toString(), "CLIENT_CONFIG", dir.resolve("absent/client.properties").toString());
        runScript(script, env, dir.resolve("script.log"));
        List<List<String>> invocations = invocations(calls);
        assertEquals(TopicsConf.parse(data.get("topics.conf").toString()).topics().size(), invocations.size());
        invocations.forEach(invocation -> assertTrue(!invocation.contains("--command-config"), invocation.toString()));
    }

    @Test
    void theJobTakesClientSettingsFromAnOptionalSecretOnly() {
        Map<String, Object> job = rendering.get("Job", "arcstream-topics");
        Map<String, Object> container = Rendering.mainContainer(job);
        Map<String, Object> mount = Tree.maps(container, "volumeMounts").stream().filter(m -> "/etc/kafka-client".equals(m.get("mountPath")))
                .findFirst().orElseThrow(() -> new AssertionError("the script's default client settings folder is not mounted"));
        Map<String, Object> volume = Tree.maps(Rendering.podSpec(job), "volumes").stream().filter(v -> v.get("name").equals(mount.get("name")))
                .findFirst().orElseThrow();
        assertEquals("arcstream-topics-client", Tree.string(volume, "secret", "secretName"));
        // a cluster without authentication needs no Secret: the Job must start without it
        assertEquals(Boolean.TRUE, Tree.get(volume, "secret", "optional"));
        assertTrue(Tree.string(Tree.map(rendering.get("ConfigMap", TopicsConf.CONFIG_MAP), "data"), "create-topics.sh")
                .contains("/etc/kafka-client/client.properties"), "the script reads its client settings from another folder");
    }

    /** The topics' descriptions, waiting (bounded) until the broker's metadata has caught up with the creation. */
    private static Map<String, TopicDescription> describeOnceVisible(Admin admin, Set<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * A kafka-topics.sh that records its arguments, one per line and a blank line after each call; the test
     * then runs Kafka's own TopicCommand (what the real script starts) with them in this JVM, which saves
     * a JVM start per topic.
     */
    private static void writeRecordingKafkaTopics(Path kafkaHome, Path calls) throws IOException {
        Path bin = Files.createDirectories(kafkaHome.resolve("bin"));
        Path command = bin.resolve("kafka-topics.sh");
        Files.writeString(command, "#!/bin/sh\n{ printf '%s\\n' \"$@\"; echo; } >> '" + calls + "'\n");
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<List<String>> invocations(Path calls) throws IOException {
        List<List<String>> invocations = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            if (line.isEmpty()) {
                invocations.add(List.copyOf(current));
                current.clear();
            } else {
                current.add(line);
            }
        }
        return invocations;
    }

    /**
     * Kafka's TopicCommand in this JVM. Its calls to exit are caught; the first one is the command's own
     * status (TopicCommand ends with exit 0 from inside, which its outer catch then turns into a second one).
     */
    private static void runTopicCommand(List<String> args) {
        List<Integer> statuses = new ArrayList<>();
        Exit.setExitProcedure((status, message) -> {
            statuses.add(status);
            throw new CommandExit(status, message);
        });
        try {
            TopicCommand.main(args.toArray(String[]::new));
        } catch (CommandExit exit) {
            // the status is in statuses
        } finally {
            Exit.resetExitProcedure();
        }
        assertEquals(0, statuses.isEmpty() ? 0 : statuses.get(0), "kafka-topics.sh " + String.join(" ", args) + " failed: " + statuses);
    }

    private static final class CommandExit extends RuntimeException {
        private final int status;

        CommandExit(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static void runScript(Path script, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("create-topics.sh did not finish:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        assertEquals(0, process.exitValue(), "create-topics.sh failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
}
