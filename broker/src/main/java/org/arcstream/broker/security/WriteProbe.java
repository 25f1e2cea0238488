package org.arcstream.broker.security;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.kafka.KafkaClientConfig;

/** Tries one write as a principal, to show what the ACLs allow: a forbidden write must be refused by the broker. */
public final class WriteProbe {

    public enum Outcome { WRITTEN, REFUSED }

    private WriteProbe() {}

    /**
     * Sends one small record to {@code topic} as the client {@code config} names. An authorization failure is
     * {@link Outcome#REFUSED}; any other failure (unreachable, unknown topic) is an error, not a refusal.
     */
    public static Outcome write(KafkaClientConfig config, String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
            return Outcome.WRITTEN;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                return Outcome.REFUSED;
            }
            throw new IllegalStateException("write to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (AuthorizationException e) {
            return Outcome.REFUSED;
        } catch (TimeoutException e) {
            throw new IllegalStateException("write to " + topic + " got no answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
