package org.arcstream.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.arcstream.core.files.FileTrees;
import org.arcstream.kafka.KafkaTopics;
import org.slf4j.MDC;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM on
 * 127.0.0.1, for running the whole pipeline on one machine and for tests. Not for production.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /**
     * MDC key set to {@code stopping} on the thread that shuts the broker down, so that the logging
     * configuration can tell the broker's shutdown notes from a client's (see org/arcstream/kafka/logback-libraries.xml).
     */
    public static final String LOG_MDC_KEY = "arcstream.broker";

    private final KafkaConfig config;
    private KafkaRaftServer server;
    private boolean running = true;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaConfig config, KafkaRaftServer server, Path dataDir, boolean ownsDataDir, String bootstrapServers) {
        this.config = config;
        this.server = server;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker with its data in a fresh temporary directory, deleted on close. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(Files.createTempDirectory("arcstream-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker keeping its data in {@code dataDir}, which is formatted first when new. */
    public static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose) {
        return start(dataDir, deleteOnClose, Map.of());
    }

    /** {@link #start(Path, boolean)} with broker settings of the caller's on top of this class's (fault drills tune timers). */
    public static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose, Map<String, String> brokerSettings) {
        int brokerPort = freePort(), controllerPort = freePort();
        Path logDir = dataDir.resolve("log");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // one node: every internal topic has a single replica
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // consumers of a lone broker need not wait for more members to join
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.putAll(brokerSettings);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        try {
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir, controllerPort);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config, server, dataDir, deleteOnClose, "127.0.0.1:" + brokerPort);
        broker.awaitReady();
        return broker;
    }

    private static void format(Path logDir, int controllerPort) throws Exception {
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics with one replica; existing ones are left as they are. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1)).toList();
            KafkaTopics.createMissing(admin, topics, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics: " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topic creation timed out", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka broker did not come up: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the broker as an outage looks to its clients, keeping its data and ports for {@link #restart()}:
     * for fault drills and tests.
     */
    public synchronized void stop() {
        if (running) {
            shutdown();
        }
    }

    /** Starts a {@link #stop() stopped} broker again on the same ports and data (stops it first if it runs); returns once it answers. */
    public synchronized void restart() {
        stop();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        running = true;
        awaitReady();
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsDataDir) {
            FileTrees.delete(dataDir);
        }
    }

    private void shutdown() {
        try (MDC.MDCCloseable stopping = MDC.putCloseable(LOG_MDC_KEY, "stopping")) {
            server.shutdown();
            server.awaitShutdown();
        }
        running = false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
