package org.arcstream.ingest;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster and client properties of the service's Kafka clients. */
@Factory
class IngestKafkaFactory {

    /** Kafka client properties of the service: {@code ingest.kafka.security.protocol=SASL_SSL}, ... */
    static final String CLIENT_PREFIX = "ingest.kafka";

    private static final Logger LOG = LoggerFactory.getLogger(IngestKafkaFactory.class);

    /** {@code ingest.bootstrap-servers} with {@code ingest.kafka.*} over {@code ARCSTREAM_KAFKA_*} variables; logged once, secrets hidden. */
    @Singleton
    KafkaClientConfig kafkaClientConfig(IngestConfig config, Environment environment) {
        KafkaClientConfig kafka = KafkaClientConfig.resolve(config.bootstrapServers(),
                KafkaClientConfig.flatten(environment.getProperties(CLIENT_PREFIX, StringConvention.RAW)));
        LOG.info("Kafka clients: {}", kafka);
        return kafka;
    }
}
