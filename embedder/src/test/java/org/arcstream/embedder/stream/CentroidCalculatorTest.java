package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CentroidCodec;
import org.arcstream.core.topics.CentroidRecord;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.embedder.match.MatchThreshold;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Enrollment samples to centroid records, with synthetic embeddings: sub-centroids, model versions, deletions. */
class CentroidCalculatorTest {

    private static FacePipelinePool pipelines;
    private static FacePipelineConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> enrollment;
    private TestOutputTopic<String, byte[]> centroids;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeAll
    static void load() {
        config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
    }

    @AfterAll
    static void unload() {
        pipelines.close();
    }

    @BeforeEach
    void start() throws Exception {
        EmbedderSettings settings = EmbedderSettings.defaults("unused:9092", config, 0.38f).withSubCentroids(2);
        Properties props = EmbedderTopology.streamsProperties(settings);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("centroid-test").toString());
        driver = new TopologyTestDriver(EmbedderTopology.build(settings, pipelines, new MatchThreshold(0.38f), PipelineListener.NONE), props);
        TopicNames topics = settings.topics();
        enrollment = driver.createInputTopic(topics.enrollment(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        centroids = driver.createOutputTopic(topics.centroids(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static float[] at(double degrees) {
        double a = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(a), (float) Math.sin(a), 0};
    }

    private void enroll(String sample, Map<String, float[]> embeddings) {
        enrollment.pipeInput("ann/" + sample, EnrollmentCodec.encode(new EnrollmentRecord("ann", "Ann", sample, 0, new byte[0], embeddings)));
    }

    private Map<String, byte[]> latest() {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        for (KeyValue<String, byte[]> kv : centroids.readKeyValuesToList()) {
            out.put(kv.key, kv.value);
        }
        return out;
    }

    @Test
    void samplesInTwoConditionsGiveTwoSubCentroidsPerModelVersion() {
        enroll("s1", Map.of("m1", at(-5), "m2", at(0)));
        enroll("s2", Map.of("m1", at(5)));
        enroll("s3", Map.of("m1", at(85)));
        enroll("s4", Map.of("m1", at(95)));
        Map<String, byte[]> records = latest();
        assertEquals(List.of("ann/m1", "ann/m2"), List.copyOf(records.keySet()));
        CentroidRecord m1 = CentroidCodec.decode(records.get("ann/m1"));
        assertEquals(List.of("s1", "s2", "s3", "s4"), m1.sampleIds());
        assertEquals(2, m1.centroids().size());
        List<float[]> sorted = m1.centroids().stream().sorted((a, b) -> Float.compare(b[0], a[0])).toList();
        assertArrayEquals(at(0), sorted.get(0), 1e-6f);
        assertArrayEquals(at(90), sorted.get(1), 1e-6f);
        CentroidRecord m2 = CentroidCodec.decode(records.get("ann/m2"));
        assertEquals(List.of("s1"), m2.sampleIds(), "only s1 has an embedding of m2");

        // deleting the only m2 sample deletes the m2 centroid; m1 keeps the others
        enrollment.pipeInput("ann/s1", null);
        records = latest();
        assertNull(records.get("ann/m2"));
        assertEquals(List.of("s2", "s3", "s4"), CentroidCodec.decode(records.get("ann/m1")).sampleIds());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aSampleWhoseEmbeddingLengthDiffersIsDeadLetteredAndChangesNothing() {
        enroll("s1", Map.of("m1", at(0)));
        latest();
        enroll("s2", Map.of("m1", Embeddings.normalize(new float[] {1, 1})));
        assertTrue(centroids.isEmpty());
        assertEquals(1, deadLetters.readRecordsToList().size());
        // deleting a sample that does not exist writes nothing
        enrollment.pipeInput("ann/s2", null);
        assertTrue(centroids.isEmpty());
    }
}
