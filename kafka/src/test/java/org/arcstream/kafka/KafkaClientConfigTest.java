package org.arcstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"ingest\" password=\"s3cr3t-pw\";";

    @Test
    void environmentVariablesUnderThePrefixBecomeClientProperties() {
        KafkaClientConfig config = KafkaClientConfig.resolve("broker:9093", Map.of(), Map.of(
                "ARCSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "ARCSTREAM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "ARCSTREAM_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "ARCSTREAM_MODELS_DIR", "/models",
                "KAFKA_SECURITY_PROTOCOL", "SSL"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/ca.p12"), config.properties());
        Map<String, Object> client = config.clientConfig();
        assertEquals("broker:9093", client.get("bootstrap.servers"));
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("SASL_SSL", config.securityProtocol());
    }

    @Test
    void configuredPropertiesWinOverTheEnvironmentAndTheClientsOwnSettingsWinOverBoth() {
        KafkaClientConfig config = KafkaClientConfig.resolve("broker:9093", Map.of("security.protocol", "SSL", "acks", "0"),
                Map.of("ARCSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
        Map<String, Object> producer = config.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all"));
        assertEquals("SSL", producer.get("security.protocol"));
        assertEquals("all", producer.get("acks"), "what the code relies on is not configurable away");
    }

    @Test
    void theBootstrapServersAreNotAClientProperty() {
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaClientConfig.resolve("a:1", Map.of(),
                Map.of("ARCSTREAM_KAFKA_BOOTSTRAP_SERVERS", "b:2")));
        assertTrue(e.getMessage().contains("--bootstrap-servers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KafkaClientConfig.of(" "));
    }

    @Test
    void secretsNeverAppearInTheLoggedConfiguration() {
        KafkaClientConfig config = KafkaClientConfig.of("broker:9093", Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.password", "trust-pw-1",
                "ssl.keystore.password", "key-pw-2",
                "ssl.key.password", "key-pw-3",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----xyz",
                "ssl.truststore.location", "/etc/kafka/ca.p12"));
        String shown = config.toString();
        for (String secret : new String[] {"s3cr3t-pw", "trust-pw-1", "key-pw-2", "key-pw-3", "PRIVATE KEY"}) {
            assertFalse(shown.contains(secret), shown);
        }
        assertTrue(shown.contains("sasl.jaas.config=[hidden]"), shown);
        assertTrue(shown.contains("security.protocol=SASL_SSL"), shown);
        assertTrue(shown.contains("ssl.truststore.location=/etc/kafka/ca.p12"), "what is not secret stays readable: " + shown);
        assertTrue(shown.contains("bootstrap.servers=broker:9093"), shown);
    }

    /** A secret named by reference is read by Kafka's own file config provider, inside the client. */
    @Test
    void aSecretCanBeReadFromAFileByKafkasConfigProvider(@TempDir Path dir) throws Exception {
        Path secrets = Files.writeString(dir.resolve("client.properties"), "password=from-the-file\n");
        Files.writeString(dir.resolve("sasl.jaas.config"), JAAS);
        KafkaClientConfig config = KafkaClientConfig.of("broker:9093", Map.of(
                "ssl.truststore.password", "${file:" + secrets + ":password}",
                "sasl.jaas.config", "${dir:" + dir + ":sasl.jaas.config}"));
        Map<String, Object> client = config.clientConfig(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        assertEquals("dir,env,file", client.get(AdminClientConfig.CONFIG_PROVIDERS_CONFIG));
        ProducerConfig resolved = new ProducerConfig(client);
        assertEquals(new Password("from-the-file"), resolved.getPassword("ssl.truststore.password"));
        assertEquals(new Password(JAAS), resolved.getPassword("sasl.jaas.config"));
        assertFalse(config.toString().contains("from-the-file"));
    }

    @Test
    void withoutReferencesNoConfigProviderIsAdded() {
        assertFalse(KafkaClientConfig.of("b:1", Map.of("security.protocol", "SSL")).clientConfig()
                .containsKey(AdminClientConfig.CONFIG_PROVIDERS_CONFIG));
    }
}
