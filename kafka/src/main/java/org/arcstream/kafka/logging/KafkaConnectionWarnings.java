package org.arcstream.kafka.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Collapses the Kafka clients' connection warnings. While a broker is down, every client of a process
 * (a Streams application has five) warns about each failed connection attempt, about fifteen lines a
 * second; one of them every {@code interval} is enough to show that it lasts. The clear "unreachable"
 * and "reachable again" lines come from {@code BrokerReachability}. Included by logback-libraries.xml.
 */
public final class KafkaConnectionWarnings extends TurboFilter {

    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    private final LongSupplier nanoClock;
    private final AtomicLong nextPass = new AtomicLong(Long.MIN_VALUE);
    private long intervalNanos = 60_000_000_000L;

    public KafkaConnectionWarnings() {
        this(System::nanoTime);
    }

    KafkaConnectionWarnings(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Seconds between two connection warnings that pass (logback configuration: {@code <intervalSeconds>}). */
    public void setIntervalSeconds(int seconds) {
        this.intervalNanos = Math.max(0, seconds) * 1_000_000_000L;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level != Level.WARN || !logger.getName().equals(NETWORK_CLIENT) || !isConnectionWarning(format)) {
            return FilterReply.NEUTRAL;
        }
        long now = nanoClock.getAsLong();
        long next = nextPass.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextPass.compareAndSet(next, now + intervalNanos)) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

    private static boolean isConnectionWarning(String format) {
        return format.contains("could not be established") || (format.contains("Bootstrap broker") && format.contains("disconnected"))
                || format.contains("Error connecting to node");
    }
}
