package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.embedder.match.MatchThreshold;
import org.junit.jupiter.api.Test;

/**
 * After a change to the enrollment topic (a deletion's tombstones), the enrollment stage writes segment-roll
 * tombstones to the enrollment, centroids and recognitions topics, so that Kafka closes the segments holding the
 * deleted person's records and compacts them even when nothing else is written; to the recognitions topic a quarter
 * segment longer, because the deletion tombstones the person's recognitions only once matching has let them go.
 */
class SegmentRollTest {

    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration SEGMENT = Duration.ofSeconds(8);

    @Test
    void aDeletionIsFollowedBySegmentRollsOnTheEnrollmentAndRecognitionsTopicsThatThenStop() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        EmbedderSettings settings = EmbedderSettings.defaults("unused:9092", config, 0.38f);
        Properties props = EmbedderTopology.streamsProperties(settings);
        Path state = Files.createTempDirectory("segment-roll-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (FacePipelinePool pipelines = new FacePipelinePool(config);
                TopologyTestDriver driver = new TopologyTestDriver(EmbedderTopology.build(settings, props, Integer.MAX_VALUE, SEGMENT,
                        pipelines, new MatchThreshold(0.38f), PipelineListener.NONE, null), props)) {
            TestInputTopic<String, byte[]> enrollment = driver.createInputTopic(TOPICS.enrollment(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> enrollmentOut = driver.createOutputTopic(TOPICS.enrollment(), Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
            TestOutputTopic<String, byte[]> recognitions = driver.createOutputTopic(TOPICS.recognitions(), Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
            // the tombstone of a deleted sample, at wall-clock time 0 of the driver
            enrollment.pipeInput("ann/1", null);
            List<Long> enrollmentRolls = new ArrayList<>();
            List<Long> recognitionRolls = new ArrayList<>();
            for (int second = 1; second <= 20; second++) {
                driver.advanceWallClockTime(Duration.ofSeconds(1));
                for (TestRecord<String, byte[]> r : enrollmentOut.readRecordsToList()) {
                    assertEquals(CentroidCalculator.SEGMENT_ROLL_KEY, r.key());
                    enrollmentRolls.add((long) second);
                }
                for (TestRecord<String, byte[]> r : recognitions.readRecordsToList()) {
                    assertEquals(CentroidCalculator.SEGMENT_ROLL_KEY, r.key());
                    assertEquals(null, r.value(), "a tombstone of nothing");
                    recognitionRolls.add((long) second);
                }
            }
            assertFalse(recognitionRolls.isEmpty(), "segment-roll tombstones on the recognitions topic");
            long segment = SEGMENT.toSeconds();
            assertTrue(recognitionRolls.get(recognitionRolls.size() - 1) >= segment + segment / 4,
                    "a roll at least one segment after a recognition tombstone written a quarter segment after the deletion: "
                            + recognitionRolls);
            assertTrue(recognitionRolls.get(recognitionRolls.size() - 1) > enrollmentRolls.get(enrollmentRolls.size() - 1),
                    "longer than on enrollment: " + recognitionRolls + " / " + enrollmentRolls);
            assertTrue(recognitionRolls.stream().allMatch(s -> s <= segment + segment / 2), "then they stop: " + recognitionRolls);
        } finally {
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
