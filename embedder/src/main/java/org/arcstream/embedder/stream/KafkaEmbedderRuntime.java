package org.arcstream.embedder.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.embedder.gallery.EnrollmentWriter;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.gallery.TopicGallery;
import org.arcstream.embedder.match.MatchThreshold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedder running against a Kafka cluster: checks the topics, starts the Kafka Streams
 * application of {@link EmbedderTopology}, and serves the gallery through the enrollment topic and
 * the global centroids store.
 */
public final class KafkaEmbedderRuntime implements EmbedderRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEmbedderRuntime.class);
    /** Longest enroll and delete wait for the matcher to see their effect. */
    private static final Duration GALLERY_SETTLE = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final KafkaProducer<String, byte[]> producer;
    private final FacePipelinePool pipelines;
    private final boolean ownsPipelines;
    private final TopicGallery gallery;

    private KafkaEmbedderRuntime(EmbedderSettings settings, FacePipelinePool pipelines, boolean ownsPipelines,
            MatchThreshold threshold, PipelineListener listener) {
        this.pipelines = pipelines;
        this.ownsPipelines = ownsPipelines;
        EmbedderTopics.ensure(settings.bootstrapServers(), settings.topics());
        // dead letters may be as large as their topic takes, and are cut down to a reference beyond that
        int deadLetterTopicMaxBytes = EmbedderTopics.maxMessageBytes(settings.bootstrapServers(), settings.topics().deadLetter());
        Properties props = EmbedderTopology.streamsProperties(settings, deadLetterTopicMaxBytes);
        this.streams = new KafkaStreams(EmbedderTopology.build(settings, props, deadLetterTopicMaxBytes, pipelines, threshold, listener), props);
        // processors catch bad input themselves; anything that still escapes is a fault of this instance
        // (a broken model, a full disk), so stop it and let health checks and the orchestrator see it
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("embedder stream failed; shutting down this instance", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000), new StringSerializer(), new ByteArraySerializer());
        this.gallery = new TopicGallery(new EnrollmentWriter(producer, settings.topics().enrollment(), pipelines, Clock.systemUTC()),
                () -> store(EmbedderTopology.CENTROIDS_STORE), this::localSamples, GALLERY_SETTLE);
        streams.start();
    }

    /** Starts an embedder with its own face pipelines. */
    public static KafkaEmbedderRuntime start(EmbedderSettings settings, MatchThreshold threshold, PipelineListener listener) {
        return new KafkaEmbedderRuntime(settings, new FacePipelinePool(settings.pipeline(), settings.streamThreads(),
                FacePipelinePool.REQUEST_PIPELINES, FacePipelinePool.WAIT), true, threshold, listener);
    }

    /** Starts an embedder that borrows pipelines from a pool the caller owns and closes. */
    public static KafkaEmbedderRuntime start(EmbedderSettings settings, FacePipelinePool pipelines, MatchThreshold threshold,
            PipelineListener listener) {
        return new KafkaEmbedderRuntime(settings, pipelines, false, threshold, listener);
    }

    @Override
    public GalleryService gallery() {
        return gallery;
    }

    @Override
    public boolean ready() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        try {
            store(EmbedderTopology.CENTROIDS_STORE).approximateNumEntries();
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    /** Blocks until {@link #ready()} or the timeout; true when ready. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        producer.close(Duration.ofSeconds(10));
        if (ownsPipelines) {
            pipelines.close();
        }
    }

    /**
     * True while this instance runs the enrollment task (the enrollment topic has one partition, so
     * exactly one instance does): that instance re-indexes the gallery when a new model is published.
     */
    public boolean holdsEnrollment() {
        return localSamples().isPresent();
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    private Optional<ReadOnlyKeyValueStore<String, byte[]>> localSamples() {
        try {
            return Optional.of(store(EmbedderTopology.ENROLLMENT_SAMPLES_STORE));
        } catch (InvalidStateStoreException e) {
            return Optional.empty(); // held by another instance, or restoring
        }
    }
}
