package org.arcstream.trainer.publish;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.arcstream.core.embed.PreprocessingMetadata;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.trainer.store.ModelDraft;
import org.arcstream.trainer.store.ModelStore;
import org.arcstream.trainer.store.StoredModel;

/**
 * Publishes a model: first into the store, then where the embedders fetch it from ({@link ModelDelivery}), then an
 * event on the models topic keyed by version. The order matters: a consumer that sees the event must find the file.
 */
public final class ModelPublisher {

    private final ModelStore store;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final long sendTimeoutMillis;
    private final ModelDelivery delivery;

    /** Events carry the store's own locations. */
    public ModelPublisher(ModelStore store, Producer<String, byte[]> producer, String topic, long sendTimeoutMillis) {
        this(store, producer, topic, sendTimeoutMillis, ModelDelivery.FROM_STORE);
    }

    public ModelPublisher(ModelStore store, Producer<String, byte[]> producer, String topic, long sendTimeoutMillis,
            ModelDelivery delivery) {
        this.store = store;
        this.producer = producer;
        this.topic = topic;
        this.sendTimeoutMillis = sendTimeoutMillis;
        this.delivery = delivery;
    }

    /** Stores the model and waits until the broker has acknowledged its event. */
    public ModelEvent publish(ModelDraft draft) {
        return announce(store.put(draft));
    }

    /** Delivers a model that is in the store, sends its event and waits until the broker has acknowledged it. */
    public ModelEvent announce(StoredModel stored) {
        String location = delivery.deliver(stored).toString();
        ModelEvent event = ModelEvent.of(stored.metadata().sha256(), stored.metadata().parentVersion(),
                location, stored.metadata().metrics(), stored.metadata().createdMillis(),
                // what the file states (every trained model does); the file stays authoritative for the embedders
                PreprocessingMetadata.stated(stored.onnxFile()).orElse(null), stored.metadata().roc());
        try {
            producer.send(new ProducerRecord<>(topic, event.modelVersion(), ModelEventCodec.encode(event)))
                    .get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing model " + event.modelVersion(), e);
        } catch (ExecutionException | TimeoutException e) {
            // the model stays in the store; publishing it again sends the event again
            throw new PublishException("model " + event.modelVersion() + " is stored but its event could not be sent to '"
                    + topic + "': " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return event;
    }

    /** Producer settings for model events: idempotent, acknowledged by all in-sync replicas. */
    public static Map<String, Object> producerConfig(KafkaClientConfig kafka) {
        return kafka.clientConfig(Map.of(
                "acks", "all",
                "enable.idempotence", true,
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
                "max.block.ms", 15000));
    }
}
