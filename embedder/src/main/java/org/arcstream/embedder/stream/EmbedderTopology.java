package org.arcstream.embedder.stream;

import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.pipeline.FacePipeline;

/** The embedder's stream: frames in; face embeddings, matches and dead letters out. */
public final class EmbedderTopology {

    private EmbedderTopology() {}

    /** Streams settings for running this topology: exactly once, with a short commit interval. */
    public static Properties streamsProperties(String applicationId, String bootstrapServers, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // with exactly-once, matches become visible to read_committed consumers only at commit
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    /**
     * @param pipelines makes one face pipeline per stream task
     * @param gallery the identity centroids to match against, read for every frame (it may change)
     * @param threshold cosine similarity at or above which a face is recognized
     */
    public static Topology build(TopicNames topics, Supplier<FacePipeline> pipelines, Supplier<CentroidIndex> gallery, float threshold) {
        Topology topology = new Topology();
        topology.addSource("frames", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.frames());
        topology.addProcessor("embed", () -> new FrameProcessor(pipelines, gallery, threshold), "frames");
        topology.addSink(FrameProcessor.FACES, topics.faces(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "embed");
        topology.addSink(FrameProcessor.MATCHES, topics.matches(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "embed");
        topology.addSink(FrameProcessor.DEAD_LETTER, topics.deadLetter(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "embed");
        return topology;
    }
}
