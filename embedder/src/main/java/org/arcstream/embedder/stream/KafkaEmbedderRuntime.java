package org.arcstream.embedder.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.arcstream.embedder.gallery.EnrollmentCrops;
import org.arcstream.embedder.gallery.EnrollmentWriter;
import org.arcstream.embedder.gallery.RecognitionEraser;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.gallery.TopicGallery;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.health.BrokerReachability;
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
    /**
     * Embeds the frames tasks' batches while the stream threads locate the next frames' faces: one thread per stream
     * thread, so that a frame's two halves run on two cores (threads start with the first batch).
     */
    private final ExecutorService embedding;
    private final KafkaProducer<String, byte[]> producer;
    private final FacePipelinePool pipelines;
    private final boolean ownsPipelines;
    private final TopicGallery gallery;
    private final EnrollmentCrops crops;
    private final BrokerReachability reachability;
    private volatile boolean closing;

    private KafkaEmbedderRuntime(EmbedderSettings settings, FacePipelinePool pipelines, boolean ownsPipelines,
            MatchThreshold threshold, PipelineListener listener) {
        this.pipelines = pipelines;
        this.ownsPipelines = ownsPipelines;
        EmbedderTopics.ensure(settings.kafka(), settings.topics());
        // dead letters may be as large as their topic takes, and are cut down to a reference beyond that
        int deadLetterTopicMaxBytes = EmbedderTopics.maxMessageBytes(settings.kafka(), settings.topics().deadLetter());
        Properties props = EmbedderTopology.streamsProperties(settings, deadLetterTopicMaxBytes);
        DeadLetters.countWritten(props, settings.topics().deadLetter(), listener);
        Duration enrollmentSegment = EmbedderTopics.segment(settings.kafka(), settings.topics().enrollment());
        AtomicInteger workers = new AtomicInteger();
        this.embedding = Executors.newFixedThreadPool(settings.streamThreads(), work -> {
            Thread worker = new Thread(work, settings.applicationId() + "-embedding-" + workers.incrementAndGet());
            worker.setDaemon(true);
            return worker;
        });
        this.streams = new KafkaStreams(EmbedderTopology.build(settings, props, deadLetterTopicMaxBytes, enrollmentSegment, pipelines, threshold,
                listener, embedding), props);
        streams.setUncaughtExceptionHandler(KafkaEmbedderRuntime::onStreamFailure);
        this.reachability = new BrokerReachability(settings.kafka());
        this.producer = new KafkaProducer<>(settings.kafka().clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)), new StringSerializer(), new ByteArraySerializer());
        this.crops = EnrollmentCrops.of(settings.kafka(), settings.topics().enrollment());
        this.gallery = new TopicGallery(new EnrollmentWriter(producer, settings.topics().enrollment(), pipelines, Clock.systemUTC()),
                () -> store(EmbedderTopology.CENTROIDS_STORE), this::localSamples, GALLERY_SETTLE, crops,
                RecognitionEraser.of(settings.kafka(), producer, settings.topics().recognitions()));
    }

    private KafkaEmbedderRuntime begin() {
        reachability.start();
        streams.start();
        return this;
    }

    /**
     * A task that waited longer than {@code task.timeout.ms} for an unreachable cluster is a fault of the
     * cluster: its thread is replaced, and the new one resumes from the last commit once the cluster is back.
     * Processors catch bad input themselves, so anything else that escapes is a fault of this instance (a
     * broken model, a full disk): it stops, and liveness tells the orchestrator to restart it.
     */
    static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamFailure(Throwable e) {
        if (causedByUnreachableCluster(e)) {
            LOG.warn("embedder stream thread gave up waiting for Kafka ({}); a new thread takes over and waits for it", rootMessage(e));
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("embedder stream failed; shutting down this instance", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    static boolean causedByUnreachableCluster(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.TimeoutException || t instanceof org.apache.kafka.common.errors.DisconnectException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Starts an embedder with its own face pipelines. */
    public static KafkaEmbedderRuntime start(EmbedderSettings settings, MatchThreshold threshold, PipelineListener listener) {
        return new KafkaEmbedderRuntime(settings, new FacePipelinePool(settings.pipeline(), settings.streamThreads(),
                FacePipelinePool.REQUEST_PIPELINES, FacePipelinePool.WAIT), true, threshold, listener).begin();
    }

    /** Starts an embedder that borrows pipelines from a pool the caller owns and closes. */
    public static KafkaEmbedderRuntime start(EmbedderSettings settings, FacePipelinePool pipelines, MatchThreshold threshold,
            PipelineListener listener) {
        return new KafkaEmbedderRuntime(settings, pipelines, false, threshold, listener).begin();
    }

    @Override
    public GalleryService gallery() {
        return gallery;
    }

    @Override
    public boolean ready() {
        if (streams.state() != KafkaStreams.State.RUNNING || !reachability.reachable()) {
            return false;
        }
        try {
            store(EmbedderTopology.CENTROIDS_STORE).approximateNumEntries();
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    /**
     * False once the stream has stopped and will not come back by itself: it failed (ERROR), or it stopped
     * without {@link #close()} being called. A broker outage or a rebalance leaves it alive: it recovers.
     */
    @Override
    public boolean alive() {
        return switch (streams.state()) {
            case ERROR, PENDING_ERROR -> false;
            case NOT_RUNNING, PENDING_SHUTDOWN -> closing;
            default -> true;
        };
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    @Override
    public boolean brokerReachable() {
        return reachability.reachable();
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

    /** Commits, and leaves the group so that the others take the partitions over at once rather than after the session timeout. */
    @Override
    public void close() {
        closing = true;
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        // the tasks waited for their batches as they closed; a stream thread that did not stop in time may still have one
        embedding.shutdown();
        reachability.close();
        crops.close();
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
