package org.arcstream.embedder.stream;

import org.arcstream.ingest.topics.FrameHeaders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.arcstream.core.config.Settings;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameRef;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbedderTopologyTest {

    private static final List<String> PEOPLE = List.of("Colin_Powell", "Hugo_Chavez", "Tony_Blair");
    private static final TopicNames TOPICS = TopicNames.defaults();

    private static FacePipelineConfig config;
    private static CentroidIndex gallery;
    private static TopologyTestDriver driver;
    private static TestInputTopic<String, byte[]> frames;
    private static TestOutputTopic<String, byte[]> faces;
    private static TestOutputTopic<String, byte[]> matches;
    private static TestOutputTopic<String, byte[]> deadLetters;

    @BeforeAll
    static void start() throws IOException {
        config = FacePipelineConfig.from(Settings.load(null));
        Map<Identity, List<float[]>> enrolled = new LinkedHashMap<>();
        try (FacePipeline pipeline = new FacePipeline(config)) {
            for (String person : PEOPLE) {
                List<float[]> samples = new ArrayList<>();
                for (int n = 1; n <= 5; n++) {
                    samples.add(pipeline.bestFace(pipeline.decoder().decode(lfw(person, n))).orElseThrow().embedding());
                }
                enrolled.put(new Identity(person, person.replace('_', ' ')), samples);
            }
        }
        gallery = CentroidIndex.build(enrolled, 1);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "embedder-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(EmbedderTopology.build(TOPICS, () -> new FacePipeline(config), () -> gallery, 0.38f), props);
        frames = driver.createInputTopic(TOPICS.frames(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        faces = driver.createOutputTopic(TOPICS.faces(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        matches = driver.createOutputTopic(TOPICS.matches(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    /** The n-th image (1-based, in name order) of a person in the LFW sample; LFW numbers have gaps. */
    static Path lfw(String person, int n) throws IOException {
        String shared = System.getProperty("arcstream.shared.dir", "../../shared");
        Path dir = Path.of(shared, "data", "lfw10", person);
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().get(n - 1);
        }
    }

    private static void send(String camera, byte[] image, long sequence) {
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.CAMERA, camera);
        FrameHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence));
        FrameHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, "1763000000000");
        frames.pipeInput(new TestRecord<>(camera, image, headers));
    }

    @Test
    void everyFaceIsEmbeddedAndRecognized() throws IOException {
        for (String person : PEOPLE) {
            send("door", Files.readAllBytes(lfw(person, 8)), 8);
            List<FaceEmbeddingRecord> embedded = faces.readValuesToList().stream().map(FaceEmbeddingCodec::decode).toList();
            List<MatchRecord> matched = matches.readValuesToList().stream().map(MatchCodec::decode).toList();
            assertEquals(embedded.size(), matched.size(), "one match per face");
            FaceEmbeddingRecord face = embedded.get(0);
            assertEquals(new FrameRef("door", 8, 0, face.frame().offset()), face.frame());
            assertEquals(1_763_000_000_000L, face.captureMillis());
            assertEquals(512, face.embedding().length);
            assertEquals(config.embedding().id(), face.modelVersion());
            MatchRecord match = matched.get(0);
            assertEquals(0, match.face());
            assertEquals(person, match.identity(), "best face of a frame of " + person);
            assertTrue(match.score() > match.runnerUpScore());
            assertArrayEquals(new float[] {face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()}, match.box());
        }
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aStrangerIsUnknown() throws IOException {
        send("door", Files.readAllBytes(lfw("Vladimir_Putin", 1)), 1);
        MatchRecord match = MatchCodec.decode(matches.readValuesToList().get(0));
        assertEquals(MatchRecord.UNKNOWN, match.identity());
        assertTrue(match.score() < 0.38f);
        faces.readValuesToList();
    }

    @Test
    void badFramesGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() throws IOException {
        byte[] text = "no picture here".getBytes(StandardCharsets.UTF_8);
        send("door", text, 1);
        send("door", new byte[3 * 100], 2);
        send("", Files.readAllBytes(lfw("Tony_Blair", 9)), 3);
        send("door", Files.readAllBytes(lfw("Tony_Blair", 9)), 4);

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(3, dead.size());
        assertArrayEquals(text, dead.get(0).value(), "the original record is kept");
        assertTrue(reason(dead.get(0)).contains("not a"), reason(dead.get(0)));
        assertEquals("2", FrameHeaders.string(dead.get(1).headers(), FrameHeaders.SEQUENCE), "original headers are kept");
        assertTrue(reason(dead.get(2)).contains("no camera"), reason(dead.get(2)));
        assertEquals(TOPICS.frames(), FrameHeaders.string(dead.get(0).headers(), DeadLetters.SOURCE_TOPIC));
        // the good frame after the bad ones still comes through
        assertEquals("Tony_Blair", MatchCodec.decode(matches.readValuesToList().get(0)).identity());
        faces.readValuesToList();
    }

    private static String reason(TestRecord<String, byte[]> record) {
        return FrameHeaders.string(record.headers(), DeadLetters.REASON);
    }
}
