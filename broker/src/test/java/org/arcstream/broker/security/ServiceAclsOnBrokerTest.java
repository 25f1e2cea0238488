package org.arcstream.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.ServiceAcls;
import org.arcstream.kafka.TopicSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ACLs of {@link ServiceAcls} as a secured broker's StandardAuthorizer enforces them: each principal
 * writes where its service writes, and the forbidden writes are refused.
 */
class ServiceAclsOnBrokerTest {

    private static final ServiceAcls ACLS = ServiceAcls.defaults();
    private static final byte[] VALUE = "probe".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(value = BrokerSecurity.class, names = {"SASL_SSL", "MTLS"})
    void eachPrincipalWritesOnlyWhereItsServiceWrites(BrokerSecurity security) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(security, ACLS.byPrincipal().keySet())) {
            broker.createTopics(Map.of(ACLS.frames(), 1, ACLS.enrollment(), 1, ACLS.models(), 1, ACLS.matches(), 1, ACLS.activeModel(), 1));
            broker.createAcls(ACLS.all());
            assertEquals(security.securityProtocol(), broker.clientConfig(ServiceAcls.INGEST).securityProtocol());

            assertEquals(WriteProbe.Outcome.WRITTEN, probe(broker, ServiceAcls.INGEST, ACLS.frames()));
            assertEquals(WriteProbe.Outcome.REFUSED, probe(broker, ServiceAcls.INGEST, ACLS.enrollment()),
                    "ingest must not enroll faces");
            assertEquals(WriteProbe.Outcome.REFUSED, probe(broker, ServiceAcls.EMBEDDER, ACLS.models()),
                    "the embedder must not announce models");
            assertEquals(WriteProbe.Outcome.WRITTEN, probe(broker, ServiceAcls.TRAINER, ACLS.models()));
            assertEquals(WriteProbe.Outcome.WRITTEN, probe(broker, ServiceAcls.ADMIN, ACLS.enrollment()));
            assertEquals(WriteProbe.Outcome.REFUSED, probe(broker, ServiceAcls.TRAINER, ACLS.enrollment()),
                    "the trainer reads enrollment, it does not write it");

            // reading is granted as narrowly: the trainer reads the enrollment sample written above, ingest reads nothing
            try (KafkaConsumer<String, byte[]> trainer = consumer(broker.clientConfig(ServiceAcls.TRAINER))) {
                assertEquals(1, TopicSnapshot.read(trainer, ACLS.enrollment(), Duration.ofSeconds(30)).latest().size());
                // the models it announced (to find one it stored but never announced) and the model the embedders use
                assertEquals(1, TopicSnapshot.read(trainer, ACLS.models(), Duration.ofSeconds(30)).latest().size());
                assertEquals(0, TopicSnapshot.read(trainer, ACLS.activeModel(), Duration.ofSeconds(30)).latest().size());
            }
            try (KafkaConsumer<String, byte[]> ingest = consumer(broker.clientConfig(ServiceAcls.INGEST))) {
                assertThrows(org.apache.kafka.common.errors.TopicAuthorizationException.class,
                        () -> TopicSnapshot.read(ingest, ACLS.enrollment(), Duration.ofSeconds(30)));
            }
        }
    }

    /** Without credentials, or with a principal the broker does not know, nothing gets through. */
    @ParameterizedTest
    @EnumSource(value = BrokerSecurity.class, names = {"SASL_SSL", "MTLS"})
    void aClientWithoutCredentialsIsNotLetIn(BrokerSecurity security) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(security, java.util.List.of(ServiceAcls.INGEST))) {
            KafkaClientConfig plain = KafkaClientConfig.of(broker.bootstrapServers(), Map.of("request.timeout.ms", "5000",
                    "default.api.timeout.ms", "8000"));
            try (Admin admin = Admin.create(plain.clientConfig())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                        || e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException, String.valueOf(e.getCause()));
            }
            if (security == BrokerSecurity.SASL_SSL) {
                Map<String, String> wrong = new java.util.HashMap<>(broker.clientConfig(ServiceAcls.INGEST).properties());
                wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"ingest\" password=\"guessed\";");
                try (Admin admin = Admin.create(KafkaClientConfig.of(broker.bootstrapServers(), wrong).clientConfig())) {
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
                    assertTrue(e.getCause() instanceof SaslAuthenticationException, String.valueOf(e.getCause()));
                }
            }
        }
    }

    private static WriteProbe.Outcome probe(EmbeddedKafkaBroker broker, String principal, String topic) {
        return WriteProbe.write(broker.clientConfig(principal), topic, "probe-" + principal, VALUE);
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaClientConfig config) {
        return new KafkaConsumer<>(config.clientConfig(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
