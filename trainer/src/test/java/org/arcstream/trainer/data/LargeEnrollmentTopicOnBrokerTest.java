package org.arcstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.SampleKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's data path over an enrollment topic of 20,000 synthetic samples (2,000 identities of 10) on a
 * real broker, read by a JVM of its own whose heap is far smaller than the decoded crops (20,000 x 37 KB =
 * 750 MB): it reads the whole topic, honours the deletion of 100 people and the rewrite of 500 samples, and
 * goes through every crop once, as an epoch does.
 */
class LargeEnrollmentTopicOnBrokerTest {

    static final int IDENTITIES = 2_000;
    static final int PER_IDENTITY = 10;
    static final int SAMPLES = IDENTITIES * PER_IDENTITY;
    static final int DELETED_IDENTITIES = 100;
    static final int REWRITTEN = 500;
    static final int CROP_SIZE = 112;
    /** The heap of the reading JVM: enough for a Kafka consumer and a few crops, not for the gallery. */
    static final String HEAP = "-Xmx256m";

    @TempDir
    Path tmp;

    @Test
    void twentyThousandSamplesAreReadWithinASmallHeapHonouringDeletions() throws Exception {
        long expectedPixels = 0;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("enrollment", 2));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < SAMPLES; i++) {
                    p.send(new ProducerRecord<>("enrollment", key(i), sample(i, 0)));
                }
                // the first 100 people deleted, and 500 samples of others rewritten with another crop
                for (int i = 0; i < DELETED_IDENTITIES * PER_IDENTITY; i++) {
                    p.send(new ProducerRecord<>("enrollment", key(i), null));
                }
                int firstKept = DELETED_IDENTITIES * PER_IDENTITY;
                for (int i = firstKept; i < firstKept + REWRITTEN; i++) {
                    p.send(new ProducerRecord<>("enrollment", key(i), sample(i, 1)));
                }
                p.flush();
                for (int i = firstKept; i < SAMPLES; i++) {
                    expectedPixels += pixelSum(crop(i, i < firstKept + REWRITTEN ? 1 : 0));
                }
            }
            Path spill = tmp.resolve("run").resolve("enrollment-crops.spill");
            Process reader = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                    "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), EnrollmentReadProcess.class.getName(),
                    broker.bootstrapServers(), "enrollment", String.valueOf(CROP_SIZE), spill.toString()))
                    .redirectErrorStream(true).start();
            String log = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reader.waitFor(10, TimeUnit.MINUTES), "the reader did not end");
            assertEquals(0, reader.exitValue(), "the reader failed (" + HEAP + "):\n" + tail(log));
            int kept = SAMPLES - DELETED_IDENTITIES * PER_IDENTITY;
            assertTrue(log.contains("crops=" + kept + " identities=" + (IDENTITIES - DELETED_IDENTITIES) + " skipped=0 pixelsum="
                    + expectedPixels + "\n"), tail(log));
            assertTrue(log.contains("read 20000 records of enrollment"), "progress is logged:\n" + tail(log));
            assertFalse(spill.toFile().exists(), "the spill file is deleted once read");
            System.err.println("trainer data path: " + kept + " crops of " + SAMPLES + " samples read with " + HEAP);
        }
    }

    private static String key(int i) {
        return new SampleKey(String.format("p%05d", i / PER_IDENTITY), "s" + i).toString();
    }

    private static byte[] sample(int i, int generation) {
        String identity = String.format("p%05d", i / PER_IDENTITY);
        return EnrollmentCodec.encode(new EnrollmentRecord(identity, "Person " + i / PER_IDENTITY, "synthetic-" + i, 0L,
                CropPng.encode(crop(i, generation)), Map.of("synthetic-v0", new float[] {1f, 0f})));
    }

    /** A distinct crop per sample and generation that PNG compresses well: a colour of its own over a gradient. */
    private static RgbImage crop(int i, int generation) {
        byte[] pixels = new byte[3 * CROP_SIZE * CROP_SIZE];
        for (int y = 0; y < CROP_SIZE; y++) {
            for (int x = 0; x < CROP_SIZE; x++) {
                int at = 3 * (y * CROP_SIZE + x);
                pixels[at] = (byte) (i * 37 + x + generation * 101);
                pixels[at + 1] = (byte) (i * 91 + y);
                pixels[at + 2] = (byte) (i * 13 + (i / 256));
            }
        }
        return new RgbImage(CROP_SIZE, CROP_SIZE, pixels);
    }

    private static long pixelSum(RgbImage crop) {
        long sum = 0;
        for (byte b : crop.pixels()) {
            sum += b & 0xFF;
        }
        return sum;
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
