package org.arcstream.embedder.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Consumer lag of the embedder's Kafka Streams application: the largest {@code records-lag-max} of its
 * stream threads' consumers, read from the metrics every Kafka client publishes over JMX.
 *
 * <p>JMX rather than the KafkaStreams object because the metric must survive a restart of the Streams
 * application inside the service and needs no hook into the stream code; restore consumers are left out
 * since their lag is state restoration, not unprocessed frames.
 */
public final class StreamsConsumerLagMetrics implements MeterBinder {

    static final String METRIC = "arcstream.consumer.records.lag.max";

    private final String applicationId;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    public StreamsConsumerLagMetrics(String applicationId) {
        this.applicationId = applicationId;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(METRIC, this, StreamsConsumerLagMetrics::maxLag)
                .description("Largest number of records the embedder's consumers are behind, over the last metrics window")
                .tag("application", applicationId)
                .register(registry);
    }

    /** NaN until a consumer of the application has fetched. */
    double maxLag() {
        double max = Double.NaN;
        try {
            Set<ObjectName> names = server.queryNames(
                    new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*"), null);
            for (ObjectName name : names) {
                String client = name.getKeyProperty("client-id");
                if (!client.startsWith(applicationId + "-") || !client.endsWith("-consumer")
                        || client.endsWith("-restore-consumer")) {
                    continue;
                }
                Object lag = server.getAttribute(name, "records-lag-max");
                if (lag instanceof Number n && !Double.isNaN(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
                    max = Double.isNaN(max) ? n.doubleValue() : Math.max(max, n.doubleValue());
                }
            }
        } catch (JMException e) {
            // a consumer closing between the query and the read: report what was read
        }
        return max;
    }
}
