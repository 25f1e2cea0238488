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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.arcstream.broker.security.BrokerCredentials;
import org.arcstream.broker.security.BrokerSecurity;
import org.arcstream.core.files.FileTrees;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.KafkaTopics;
import org.slf4j.MDC;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM on
 * 127.0.0.1, for running the whole pipeline on one machine and for tests. Not for production. Plaintext, or
 * secured ({@link BrokerSecurity}): TLS with certificates made for the run, SCRAM or certificate logins,
 * and ACLs enforced.
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
    private final BrokerSecurity security;
    private final KafkaClientConfig superUser;
    private final BrokerCredentials credentials;

    private EmbeddedKafkaBroker(KafkaConfig config, KafkaRaftServer server, Path dataDir, boolean ownsDataDir, String bootstrapServers,
            BrokerSecurity security, KafkaClientConfig superUser, BrokerCredentials credentials) {
        this.config = config;
        this.server = server;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.bootstrapServers = bootstrapServers;
        this.security = security;
        this.superUser = superUser;
        this.credentials = credentials;
    }

    /** Starts a broker with its data in a fresh temporary directory, deleted on close. */
    public static EmbeddedKafkaBroker start() {
        return start(BrokerSecurity.PLAINTEXT, List.of());
    }

    /**
     * Starts a broker with its data in a fresh temporary directory (deleted on close) whose clients' listener
     * requires {@code security}; a secured broker authorizes every request and knows each of {@code principals}
     * (a SCRAM user, or a certificate {@code CN=<principal>}), none of which may do anything before an ACL
     * allows it ({@link #createAcls}). The broker itself, and {@link #admin()}, are the one super user.
     */
    public static EmbeddedKafkaBroker start(BrokerSecurity security, Collection<String> principals) {
        try {
            return start(Files.createTempDirectory("arcstream-kafka-"), true, security, principals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a plaintext broker with its data in a fresh temporary directory (deleted on close) and the given
     * broker settings on top of its own, e.g. a log cleaner that looks for work every 200 ms.
     */
    public static EmbeddedKafkaBroker start(Map<String, String> brokerSettings) {
        try {
            return start(Files.createTempDirectory("arcstream-kafka-"), true, BrokerSecurity.PLAINTEXT, List.of(), brokerSettings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a plaintext broker keeping its data in {@code dataDir}, which is formatted first when new. */
    public static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose) {
        return start(dataDir, deleteOnClose, Map.of());
    }

    /** {@link #start(Path, boolean)} with broker settings of the caller's on top of this class's (fault drills tune timers). */
    public static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose, Map<String, String> brokerSettings) {
        return start(dataDir, deleteOnClose, BrokerSecurity.PLAINTEXT, List.of(), brokerSettings);
    }

    private static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose, BrokerSecurity security, Collection<String> principals) {
        return start(dataDir, deleteOnClose, security, principals, Map.of());
    }

    private static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose, BrokerSecurity security, Collection<String> principals,
            Map<String, String> brokerSettings) {
        int brokerPort = freePort(), controllerPort = freePort();
        Path logDir = dataDir.resolve("log");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
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
        BrokerCredentials credentials;
        String clients;
        String adminBootstrap;
        if (security == BrokerSecurity.PLAINTEXT) {
            clients = "127.0.0.1:" + brokerPort;
            adminBootstrap = clients;
            props.put("listeners", "PLAINTEXT://" + clients + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://" + clients);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            credentials = null;
        } else {
            clients = "127.0.0.1:" + brokerPort;
            credentials = BrokerCredentials.create(dataDir.resolve("tls"), security, principals);
            props.putAll(credentials.brokerProperties());
            if (security == BrokerSecurity.SASL_SSL) {
                // the broker, the controller and the super user authenticate with the broker's certificate on
                // listeners of their own; clients log in with SCRAM on theirs
                int internalPort = freePort();
                adminBootstrap = "127.0.0.1:" + internalPort;
                props.put("listeners", "SASL_SSL://" + clients + ",INTERNAL://" + adminBootstrap + ",CONTROLLER://127.0.0.1:" + controllerPort);
                props.put("advertised.listeners", "SASL_SSL://" + clients + ",INTERNAL://" + adminBootstrap);
                props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL");
                props.put("inter.broker.listener.name", "INTERNAL");
                props.put("sasl.enabled.mechanisms", BrokerCredentials.SCRAM);
                props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                props.put("listener.name.sasl_ssl.ssl.client.auth", "none");
            } else {
                adminBootstrap = clients;
                props.put("listeners", "SSL://" + clients + ",CONTROLLER://127.0.0.1:" + controllerPort);
                props.put("advertised.listeners", "SSL://" + clients);
                props.put("listener.security.protocol.map", "SSL:SSL,CONTROLLER:SSL");
                props.put("inter.broker.listener.name", "SSL");
            }
        }
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
        KafkaClientConfig admin = credentials == null ? KafkaClientConfig.of(adminBootstrap) : credentials.superUser(adminBootstrap);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config, server, dataDir, deleteOnClose, clients, security, admin, credentials);
        broker.awaitReady();
        if (credentials != null) {
            broker.addUsers();
        }
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

    /** The clients' listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public BrokerSecurity security() {
        return security;
    }

    /** How a client of a plaintext broker connects. */
    public KafkaClientConfig clientConfig() {
        if (credentials != null) {
            throw new IllegalStateException("this broker requires " + security.option() + ": name the principal of the client");
        }
        return KafkaClientConfig.of(bootstrapServers);
    }

    /**
     * How a client that is {@code principal} connects: its security protocol, trust store and SCRAM login or
     * key store. A plaintext broker knows no principals and gives its plain configuration.
     */
    public KafkaClientConfig clientConfig(String principal) {
        return credentials == null ? clientConfig() : credentials.client(principal, bootstrapServers);
    }

    /** Grants {@code acls} (the super user needs none). */
    public void createAcls(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create ACLs: " + e.getMessage(), e);
        }
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

    /** How the super user connects (topic and ACL administration). */
    public KafkaClientConfig adminConfig() {
        return superUser;
    }

    /** An admin client of the super user. */
    public Admin admin() {
        return Admin.create(superUser.clientConfig());
    }

    /** Creates the SCRAM users of a SASL_SSL broker, and waits until the broker can log them in. */
    private void addUsers() {
        try (Admin admin = admin()) {
            List<UserScramCredentialAlteration> users = credentials.scramUsers();
            if (users.isEmpty()) {
                return;
            }
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.describeUserScramCredentials(credentials.principals()).all().get(30, TimeUnit.SECONDS).size()
                    < credentials.principals().size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not list its SCRAM users in time");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            close();
            throw new IllegalStateException("cannot create the broker's SCRAM users: " + e.getMessage(), e);
        }
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
     * for fault drills and tests. Kafka clients left without a reachable broker soon fall back to their
     * bootstrap servers and forget the topics' metadata (their default {@code metadata.recovery.strategy}), after
     * which a producer's {@code send} waits up to {@code max.block.ms} rather than taking the record.
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
