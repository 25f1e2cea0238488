package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.match.GalleryIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidKey;
import org.arcstream.core.topics.CentroidRecord;
import org.junit.jupiter.api.Test;

/**
 * The centroids topic through the global store into the matcher's galleries: each record changes the
 * gallery in place (the same gallery object answers before and after), through the graph when the
 * gallery has reached the exact-scan limit.
 */
class CentroidIndexCacheTest {

    private static final String TOPIC = "centroids";
    private static final String MODEL = "m1";

    private static float[] unit(Random random) {
        float[] v = new float[32];
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return Embeddings.normalize(v);
    }

    private static byte[] record(String id, float[] centroid) {
        return CentroidCodec.encode(new CentroidRecord(id, "Name " + id, MODEL, List.of("s1"), List.of(centroid)));
    }

    @Test
    void enrollmentsAndDeletionsChangeTheGraphGalleryInPlace() {
        RecordingListener listener = new RecordingListener();
        SkippedRecords skips = new SkippedRecords(listener);
        CentroidIndexCache cache = new CentroidIndexCache(TOPIC, skips, 50);
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EmbedderTopology.CENTROIDS_STORE), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), TOPIC,
                "writer", () -> new CentroidStoreWriter(cache, TOPIC, skips, PipelineListener.NONE));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "centroid-index-cache-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Random random = new Random(3);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, byte[]> centroids = driver.createInputTopic(TOPIC, Serdes.String().serializer(), Serdes.ByteArray().serializer());
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(EmbedderTopology.CENTROIDS_STORE);
            float[][] looks = new float[60][];
            for (int i = 0; i < 60; i++) {
                looks[i] = unit(random);
                centroids.pipeInput(new CentroidKey("id" + i, MODEL).toString(), record("id" + i, looks[i]));
            }
            GalleryIndex gallery = cache.index(MODEL, 32, store);
            assertTrue(gallery.approximate(), "60 identities, limit 50: the graph answers");
            assertEquals("id7", gallery.match(looks[7], 0.5f).identity().id());

            // a new identity, a moved centroid and a deletion: each visible to the next match, in the same gallery
            float[] newcomer = unit(random);
            centroids.pipeInput(new CentroidKey("new", MODEL).toString(), record("new", newcomer));
            float[] moved = unit(random);
            centroids.pipeInput(new CentroidKey("id7", MODEL).toString(), record("id7", moved));
            centroids.pipeInput(new CentroidKey("id9", MODEL).toString(), null);

            assertSame(gallery, cache.index(MODEL, 32, store));
            assertEquals(new Identity("new", "Name new"), gallery.match(newcomer, 0.5f).identity());
            assertEquals("id7", gallery.match(moved, 0.5f).identity().id());
            assertNotEquals("id7", gallery.match(looks[7], 0.5f).bestCandidate().id());
            assertNotEquals("id9", gallery.match(looks[9], 0.5f).bestCandidate().id());
            assertEquals(60, gallery.identities());

            // a bad record replacing a good one takes its identity out of matching and is reported once
            float[] notUnit = looks[11].clone();
            notUnit[0] += 1;
            centroids.pipeInput(new CentroidKey("id11", MODEL).toString(), record("id11", notUnit));
            assertNotEquals("id11", gallery.match(looks[11], 0.5f).bestCandidate().id());
            assertEquals(1, listener.skipped.size(), listener.skipped.toString());
        }
    }
}
