package org.arcstream.embedder.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.embedder.stream.SkippedRecords;
import org.arcstream.kafka.TopicSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code models} topic (new versions) and the {@code active-model} topic (the switch
 * decision) from their beginning on a thread of its own, started by {@link #start()}. Whatever a
 * record holds, it is passed on or skipped (counted and logged); no record ends the watcher.
 */
final class ModelWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PARTITIONS_TIMEOUT = Duration.ofSeconds(30);

    /** Told on the watcher's thread; must not block it for long. */
    interface Listener {
        void published(ModelEvent event);

        /** The latest decision of one poll (an earlier one in the same poll is already outdated). */
        void decided(ActiveModel record);
    }

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String modelsTopic;
    private final String activeModelTopic;
    private final SkippedRecords skips;
    private final Listener listener;
    private Consumer<String, byte[]> consumer;
    private Thread thread;
    private volatile boolean closed;

    ModelWatcher(Supplier<Consumer<String, byte[]>> consumers, String modelsTopic, String activeModelTopic, SkippedRecords skips,
            Listener listener) {
        this.consumers = consumers;
        this.modelsTopic = modelsTopic;
        this.activeModelTopic = activeModelTopic;
        this.skips = skips;
        this.listener = listener;
    }

    synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException("the model watcher was started already");
        }
        consumer = consumers.get();
        thread = new Thread(this::run, "model-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(modelsTopic, activeModelTopic)) {
                partitions.addAll(TopicSnapshot.partitions(consumer, topic, PARTITIONS_TIMEOUT));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closed) {
                ActiveModel latestDecision = null;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (r.value() == null) {
                        continue; // a tombstone: compaction's business, no decision
                    }
                    try {
                        if (r.topic().equals(modelsTopic)) {
                            listener.published(ModelEventCodec.decode(r.value()));
                        } else if (ActiveModel.KEY.equals(r.key())) {
                            latestDecision = ActiveModelCodec.decode(r.value());
                        } else {
                            skips.skip(r.topic(), r.key(), "unreadable-active-model: the only key of this topic is '" + ActiveModel.KEY + "'");
                        }
                    } catch (RuntimeException e) {
                        String kind = r.topic().equals(modelsTopic) ? "unreadable-model-event" : "unreadable-active-model";
                        skips.skip(r.topic(), r.key(), kind + ": " + e.getMessage());
                    }
                }
                if (latestDecision != null) {
                    listener.decided(latestDecision);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the model watcher stopped; this instance no longer follows new models", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread == null) {
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
