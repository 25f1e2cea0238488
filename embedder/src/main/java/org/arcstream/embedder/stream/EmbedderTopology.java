package org.arcstream.embedder.stream;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.arcstream.embedder.match.MatchThreshold;

/**
 * The embedder's stream, in three parts:
 * <ul>
 *   <li>frames: decode, detect, landmarks and align each frame; embed the faces in cross-frame
 *       batches (pending-faces store); write them to {@code faces} and score them in the matcher,
 *       which writes {@code matches};
 *   <li>enrollment: samples (enrollment-samples store) to per-identity centroids, written to {@code centroids};
 *   <li>a global store of {@code centroids} on every instance, which the matcher reads, so every frames
 *       partition sees every identity.
 * </ul>
 * Unusable records of either input go to {@code dead-letter} with their reason (as a reference when
 * the whole record would be more than the producer may send); unusable centroids are skipped and
 * counted. No record can stop a stream thread.
 */
public final class EmbedderTopology {

    /** Located faces waiting for their embedding batch (in memory, changelogged). */
    public static final String PENDING_FACES_STORE = "pending-faces";
    /** Enrollment samples without their crops but with their records' positions, by {@code identityId/sampleId} (persistent, changelogged). */
    public static final String ENROLLMENT_SAMPLES_STORE = "enrollment-samples";
    /** Global copy of the centroids topic, by {@code identityId/modelVersion}. */
    public static final String CENTROIDS_STORE = "centroids-global";

    static final String FRAMES_SOURCE = "frames-source";
    static final String EMBEDDER = "embed";
    static final String FACES_SINK = "faces-sink";
    static final String MATCHER = "match";
    static final String MATCHES_SINK = "matches-sink";
    static final String RECOGNITIONS_SINK = "recognitions-sink";
    static final String RECOGNITIONS_ROLL_SINK = "recognitions-roll-sink";
    static final String CENTROIDS_ROLL_SINK = "centroids-roll-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    static final String ENROLLMENT_SOURCE = "enrollment-source";
    static final String CENTROID_CALCULATOR = "centroid-calculator";
    static final String CENTROIDS_SINK = "centroids-sink";
    static final String ENROLLMENT_DEAD_LETTER_SINK = "enrollment-dead-letter-sink";
    static final String ENROLLMENT_SINK = "enrollment-sink";

    private EmbedderTopology() {}

    /** Streams settings for this topology: the configured processing guarantee, with polls short enough for the batch wait. */
    public static Properties streamsProperties(EmbedderSettings settings) {
        // the cluster and its security first: Streams hands them on to its producers, consumers and admin client
        Properties props = settings.kafka().toProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        // with exactly-once, matches become visible to read_committed consumers only at commit. The stages ask for
        // their commits themselves, at moments that suit them (FrameEmbedder: on going idle, or every commit interval
        // once the faces waiting are embedded); Kafka Streams' own timer, which such requests do not reset, would add
        // commits on top, in the middle of batches, with their faces' crops (one such took 23 ms on a 2-core machine,
        // and the frames behind it queued): here it is only a backstop, at half of what a transaction may stay open
        // (the session timeout, see failover) and never below the commit interval
        long backstop = Math.max(settings.commitInterval().toMillis(), settings.failover().sessionTimeout().toMillis() / 2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, backstop);
        // Streams polls with this timeout on every loop, even while its own buffer still holds frames, and the
        // consumer has usually fetched all there is: a long poll.ms is dead time on the thread that embeds. And a
        // quiet stream is seen idle (its batch sent, its matches committed) only after a poll that brought nothing,
        // so every frame of a quiet camera waits out one poll: the shortest there is (at 5 ms, half-load latency was
        // higher by more than the 4 ms). Idle, the thread wakes a thousand times a second for it: about 1% of a core
        props.put(StreamsConfig.POLL_MS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the changelogs hold enrollment embeddings and waiting face crops: compacted within the same bound as enrollment
        EmbedderTopics.COMPACTED.forEach((key, value) -> {
            if (!key.equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
                props.put(StreamsConfig.topicPrefix(key), value);
            }
        });
        failover(props, settings.failover());
        // the centroids global store's processing errors go through the same (default, log-and-fail) handler as
        // the tasks': what Kafka Streams 5 does by default, and without it every start warns about the change
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // the partition assignor builds its own copy of these settings from the main consumer's configuration
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
        return props;
    }

    /**
     * A killed instance is noticed after the session timeout (Kafka's 45 s default kept its frames waiting that
     * long), and its open transaction, which hides every later match from read_committed readers, is aborted
     * after the transaction timeout: both are the session timeout. Static membership lets an instance restarted
     * under its id rejoin without a rebalance; without it, Kafka Streams' consumers do not leave the group on
     * close, so {@link KafkaEmbedderRuntime#close()} leaves explicitly.
     */
    private static void failover(Properties props, FailoverSettings failover) {
        long session = failover.sessionTimeout().toMillis();
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) session);
        // the survivors learn of a rebalance only with their next heartbeat: at a twelfth of the session, a killed
        // instance's partitions move within about half a second of its expiry, not up to a quarter of the session later
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int) Math.max(250, session / 12));
        if (failover.staticMembership()) {
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), failover.instanceId());
        }
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) session);
        props.put(StreamsConfig.TASK_TIMEOUT_MS_CONFIG, failover.taskTimeout().toMillis());
    }

    /**
     * {@link #streamsProperties(EmbedderSettings)} with a producer that may send records as large as the
     * dead-letter topic takes ({@code max.message.bytes}, 20 MiB as shipped, like frames), so that a
     * frame the frames topic took can be dead-lettered whole where the topics are sized for it. Never
     * below the producer's default, which the other records are sized for.
     */
    public static Properties streamsProperties(EmbedderSettings settings, int deadLetterTopicMaxBytes) {
        Properties props = streamsProperties(settings);
        int maxRequest = Math.max(defaultMaxRequestBytes(), deadLetterTopicMaxBytes);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxRequest);
        // a record must fit the send buffer with room to spare for the records around it
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), Math.max(32L << 20, 2L * maxRequest));
        return props;
    }

    /**
     * The largest dead letter the stream may send: the producer's {@code max.request.size} in
     * {@code streamsProperties} (a larger record is refused by the producer, which stops the instance),
     * and no more than the dead-letter topic's {@code max.message.bytes} (the broker would refuse it).
     */
    static long deadLetterLimit(Properties streamsProperties, int deadLetterTopicMaxBytes) {
        Object configured = streamsProperties.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                streamsProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        int producer = configured == null ? defaultMaxRequestBytes()
                : (Integer) ConfigDef.parseType(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, configured, ConfigDef.Type.INT);
        return Math.min(producer, deadLetterTopicMaxBytes);
    }

    private static int defaultMaxRequestBytes() {
        return (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }

    /**
     * The topology for {@link #streamsProperties(EmbedderSettings)}, where the dead-letter topic takes what the producer sends,
     * embedding on the stream threads.
     */
    public static Topology build(EmbedderSettings settings, FacePipelinePool pipelines, MatchThreshold threshold, PipelineListener listener) {
        return build(settings, streamsProperties(settings), Integer.MAX_VALUE, EmbedderTopics.COMPACTED_SEGMENT, pipelines, threshold, listener,
                null);
    }

    /**
     * @param streamsProperties what the topology will run with: its producer's limit bounds the dead letters
     * @param deadLetterTopicMaxBytes the dead-letter topic's {@code max.message.bytes}
     * @param enrollmentSegment the enrollment topic's {@code segment.ms}: how often the enrollment stage closes its segment
     * @param pipelines lends one face pipeline to each frames task
     * @param threshold read for every face, so it can change while the stream runs
     * @param listener told about frames, batches, matches, dead letters and skipped records
     * @param embedding where the frames tasks embed their batches while their stream thread locates the next frames'
     *     faces (one worker per stream thread); null embeds on the stream threads
     */
    public static Topology build(EmbedderSettings settings, Properties streamsProperties, int deadLetterTopicMaxBytes,
            Duration enrollmentSegment, FacePipelinePool pipelines, MatchThreshold threshold, PipelineListener listener, Executor embedding) {
        TopicNames topics = settings.topics();
        Serde<String> keys = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        // what no stage can use: letters no larger than the producer may send, and skipped centroids counted
        DeadLetters deadLetters = new DeadLetters(deadLetterLimit(streamsProperties, deadLetterTopicMaxBytes));
        SkippedRecords skips = new SkippedRecords(listener);
        CentroidIndexCache indexes = new CentroidIndexCache(topics.centroids(), skips, settings.exactScanLimit());
        Topology topology = new Topology();

        // frames -> located faces -> batched embeddings -> faces topic and matcher -> matches topic
        topology.addSource(FRAMES_SOURCE, keys.deserializer(), bytes.deserializer(), topics.frames());
        topology.addProcessor(EMBEDDER, () -> new FrameEmbedder(pipelines, settings.batchMaxFaces(), settings.batchMaxWait(),
                settings.batchFlushWhenIdle(), settings.commitInterval(), settings.idleCommitInterval(), settings.knownCameras(), deadLetters, listener, embedding), FRAMES_SOURCE);
        // cached: a face embedded before the next commit reaches the changelog only as a tombstone, not as its
        // 37 KB crop; at a commit the cache is flushed first, so a face still waiting is in the transaction
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_FACES_STORE), Serdes.Long(),
                EmbedderSerdes.pendingFaces()).withCachingEnabled(), EMBEDDER);
        // the matcher gets the embedding as a record; it becomes bytes only in the faces and matches sinks
        topology.addSink(FACES_SINK, topics.faces(), keys.serializer(), EmbedderSerdes.faceEmbeddings().serializer(), EMBEDDER);
        topology.addProcessor(MATCHER, () -> new FaceMatcher(indexes, threshold, deadLetters, listener, settings.learning()), EMBEDDER);
        topology.addSink(MATCHES_SINK, topics.matches(), keys.serializer(), EmbedderSerdes.matches().serializer(), MATCHER);
        // confident recognitions as training samples (embedder.learning.*, off by default)
        topology.addSink(RECOGNITIONS_SINK, topics.recognitions(), keys.serializer(), bytes.serializer(), MATCHER);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetter(), keys.serializer(), bytes.serializer(), EMBEDDER, MATCHER);

        // enrollment samples -> per-identity centroids -> centroids topic
        topology.addSource(ENROLLMENT_SOURCE, keys.deserializer(), bytes.deserializer(), topics.enrollment());
        topology.addProcessor(CENTROID_CALCULATOR, () -> new CentroidCalculator(settings.subCentroids(), deadLetters, enrollmentSegment),
                ENROLLMENT_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ENROLLMENT_SAMPLES_STORE), keys, bytes),
                CENTROID_CALCULATOR);
        topology.addSink(CENTROIDS_SINK, topics.centroids(), keys.serializer(), bytes.serializer(), CENTROID_CALCULATOR);
        topology.addSink(ENROLLMENT_DEAD_LETTER_SINK, topics.deadLetter(), keys.serializer(), bytes.serializer(), CENTROID_CALCULATOR);
        // tombstones of the enrollment stage itself: a deleted sample's late rewrite, segment-roll records
        topology.addSink(ENROLLMENT_SINK, topics.enrollment(), keys.serializer(), bytes.serializer(), CENTROID_CALCULATOR);
        // segment-roll tombstones to every partition of the centroids and recognitions topics, so that a deleted
        // person's tombstoned records are compacted away whichever partition holds them, even when nothing else is written
        topology.addSink(CENTROIDS_ROLL_SINK, topics.centroids(), keys.serializer(), bytes.serializer(), everyPartition(),
                CENTROID_CALCULATOR);
        topology.addSink(RECOGNITIONS_ROLL_SINK, topics.recognitions(), keys.serializer(), bytes.serializer(), everyPartition(),
                CENTROID_CALCULATOR);

        // centroids topic -> global store on every instance (the topic is its changelog)
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CENTROIDS_STORE), keys, bytes).withLoggingDisabled(),
                "centroids-source", keys.deserializer(), bytes.deserializer(), topics.centroids(),
                "centroids-writer", () -> new CentroidStoreWriter(indexes, topics.centroids(), skips, listener));
        return topology;
    }

    private static StreamPartitioner<String, byte[]> everyPartition() {
        return (topic, key, value, partitions) -> Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
    }
}
