package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adaptive batching on the test driver with the real models: a batch that cannot fill because no frame is
 * coming goes at the first wall-clock check that finds no new frame, long before its maximum wait (an hour
 * here, so that nothing else can have sent it), while frames that keep coming still fill their batch.
 * The wall clock is the driver's, advanced by hand: one advance is one check.
 */
class IdleFlushTest {

    private static final int MAX_FACES = 4;
    private static final Duration MAX_WAIT = Duration.ofHours(1);
    private static final Duration CHECK = FrameEmbedder.CHECK_INTERVAL;

    private static FacePipelinePool pipelines;
    private static RecordingListener listener;
    private static TopologyTestDriver driver;
    private static TestInputTopic<String, byte[]> frames;
    private static TestOutputTopic<String, byte[]> faces;
    private static long sequence;

    @BeforeAll
    static void start() throws IOException {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        listener = new RecordingListener();
        EmbedderSettings settings = EmbedderSettings.defaults("unused:9092", config, 0.38f).withBatch(MAX_FACES, MAX_WAIT);
        Properties props = EmbedderTopology.streamsProperties(settings);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("idle-flush-test").toString());
        driver = new TopologyTestDriver(EmbedderTopology.build(settings, pipelines, new MatchThreshold(0.38f), listener), props);
        TopicNames topics = settings.topics();
        frames = driver.createInputTopic(topics.frames(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        faces = driver.createOutputTopic(topics.faces(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (pipelines != null) {
            pipelines.close();
        }
    }

    @AfterEach
    void drain() {
        // two checks without a frame: whatever waits goes
        driver.advanceWallClockTime(CHECK);
        driver.advanceWallClockTime(CHECK);
        faces.readRecordsToList();
        listener.batches.clear();
    }

    @Test
    void aPartialBatchGoesAtTheFirstCheckThatFindsNoNewFrame() throws IOException {
        int located = listener.facesLocated.get();
        send(EmbedderTopologyTest.lfw("Hugo_Chavez", 7));
        int waiting = listener.facesLocated.get() - located;
        assertTrue(waiting > 0 && waiting < MAX_FACES, "a frame of fewer faces than a batch holds: " + waiting);
        // the check right after a frame cannot tell whether more are coming: the batch waits
        driver.advanceWallClockTime(CHECK);
        assertTrue(faces.isEmpty(), "no embedding at the check that follows the frame");
        assertEquals(List.of(), listener.batches);
        // the next check finds no new frame: the stream is idle, and the batch goes without waiting out its hour
        driver.advanceWallClockTime(CHECK);
        assertEquals(List.of(waiting), listener.batches, "one partial batch");
        assertEquals(List.of(sequence - 1), faces.readValuesToList().stream().map(FaceEmbeddingCodec::decode)
                .filter(f -> f.faceIndex() == 0).map(f -> f.frame().sequence()).toList());
    }

    @Test
    void framesThatKeepComingFillTheirBatchFirst() throws IOException {
        int located = listener.facesLocated.get();
        int sent = 0;
        // a frame between every two checks: the stream is never idle, so only a full batch goes
        while (listener.facesLocated.get() - located < MAX_FACES) {
            assertTrue(faces.isEmpty(), "no embedding before the batch is full");
            send(EmbedderTopologyTest.lfw(sent % 2 == 0 ? "Colin_Powell" : "Gerhard_Schroeder", 6 + sent / 2));
            sent++;
            driver.advanceWallClockTime(CHECK);
        }
        assertTrue(sent > 1, "the batch spans frames");
        assertEquals(MAX_FACES, listener.batches.get(0), "the first batch is a full one");
        assertEquals(1, listener.batches.size());
        int rest = listener.facesLocated.get() - located - MAX_FACES;
        // then the frames stop: what is left goes at the first check without a frame
        driver.advanceWallClockTime(CHECK);
        assertEquals(MAX_FACES + rest, faces.readValuesToList().size());
    }

    private static void send(Path image) throws IOException {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "door");
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence++));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, "1763000000000");
        frames.pipeInput(new TestRecord<>("door", Files.readAllBytes(image), headers));
    }
}
