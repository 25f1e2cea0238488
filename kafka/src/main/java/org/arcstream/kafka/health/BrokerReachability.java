package org.arcstream.kafka.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Kafka cluster answers, asked every {@code interval} by a metadata request, and the one log
 * line an operator needs for each change: when the cluster becomes unreachable, a reminder every
 * {@link #REMINDER} while it stays so, and when it is back. Kafka clients retry on their own; this only
 * tells the truth about it (readiness) and keeps the log readable.
 */
public final class BrokerReachability implements AutoCloseable {

    /** How often an ongoing outage is logged again. */
    public static final Duration REMINDER = Duration.ofSeconds(60);
    /** How often the cluster is asked; also the longest an answer may take. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerReachability.class);

    private final KafkaClientConfig kafka;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private volatile Instant unreachableSince;
    private Instant lastNote;

    public BrokerReachability(KafkaClientConfig kafka, Duration interval, Clock clock) {
        this.kafka = kafka;
        this.interval = interval;
        this.clock = clock;
    }

    public BrokerReachability(KafkaClientConfig kafka) {
        this(kafka, DEFAULT_INTERVAL, Clock.systemUTC());
    }

    /** Starts asking in the background. */
    public synchronized BrokerReachability start() {
        if (scheduler == null) {
            int timeoutMs = (int) interval.toMillis();
            admin = Admin.create(kafka.clientConfig(Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG, "arcstream-reachability",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs)));
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kafka-reachability");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** True unless the last question went unanswered. */
    public boolean reachable() {
        return unreachableSince == null;
    }

    /** Since when the cluster has not answered; empty while it answers. */
    public Optional<Instant> unreachableSince() {
        return Optional.ofNullable(unreachableSince);
    }

    void check() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) interval.toMillis())).nodes()
                    .get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
            answered();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            unanswered(e);
        }
    }

    synchronized void answered() {
        if (unreachableSince != null) {
            LOG.info("Kafka at {} is reachable again after {} s", kafka.bootstrapServers(),
                    Duration.between(unreachableSince, clock.instant()).toSeconds());
            unreachableSince = null;
        }
    }

    synchronized void unanswered(Exception e) {
        Instant now = clock.instant();
        if (unreachableSince == null) {
            unreachableSince = now;
            lastNote = now;
            LOG.warn("Kafka at {} is unreachable ({}); waiting for it, a reminder follows every {} s", kafka.bootstrapServers(),
                    reason(e), REMINDER.toSeconds());
        } else if (!now.isBefore(lastNote.plus(REMINDER))) {
            lastNote = now;
            LOG.warn("Kafka at {} is still unreachable, for {} s now", kafka.bootstrapServers(), Duration.between(unreachableSince, now).toSeconds());
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            admin.close(Duration.ofSeconds(2));
            scheduler = null;
        }
    }
}
