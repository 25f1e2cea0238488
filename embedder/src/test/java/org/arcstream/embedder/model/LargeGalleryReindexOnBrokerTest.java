package org.arcstream.embedder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.kafka.TopicScan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The re-index of a promotion over a gallery of 20,000 synthetic samples (2,000 identities of 10) on a real broker,
 * with the real stream computing the centroids, run in a JVM of its own with a heap far smaller than the
 * gallery's decoded crops (20,000 x 37 KB = 750 MB): killed part way through, then run again, it embeds only
 * what the first run had not written back, and every identity ends up with centroids of the new model.
 */
class LargeGalleryReindexOnBrokerTest {

    static final int IDENTITIES = 2_000;
    static final int PER_IDENTITY = 10;
    static final int SAMPLES = IDENTITIES * PER_IDENTITY;
    /** The heap of the re-indexing JVM: enough for Kafka clients and ONNX Runtime, not for the gallery. */
    static final String HEAP = "-Xmx128m";
    private static final String OLD_VERSION = "synthetic-v0";
    private static final Pattern PROGRESS = Pattern.compile("re-index into \\S+: (\\d+) of (\\d+) samples");

    private static Path work;
    private static EmbeddedKafkaBroker broker;
    private static FacePipelinePool pipelines;
    private static KafkaEmbedderRuntime embedder;
    private static Path model;
    private static String version;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("large-reindex");
        model = TinyEmbeddingModel.write(work.resolve("tiny.onnx"), ReindexProcess.CROP_SIZE, 16, 3);
        version = Sha256.modelId(model);
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        pipelines = new FacePipelinePool(config);
        broker = EmbeddedKafkaBroker.start();
        // the real stream: its centroid stage turns the enrollment topic into the centroids the re-index waits for
        embedder = KafkaEmbedderRuntime.start(EmbedderSettings.defaults(broker.bootstrapServers(), config, 0.38f)
                .withApplicationId("large-reindex").withStateDir(work.resolve("state"))
                // the subject is the re-index: the centroid stage need not commit transactions for it
                .withProcessingGuarantee("at_least_once"), pipelines, new MatchThreshold(0.38f),
                PipelineListener.NONE);
        assertTrue(embedder.awaitReady(Duration.ofMinutes(1)), "ready, state " + embedder.state());
        Random random = new Random(11);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SAMPLES; i++) {
                String identity = String.format("p%05d", i / PER_IDENTITY);
                float[] v0 = new float[16];
                for (int k = 0; k < v0.length; k++) {
                    v0[k] = (float) random.nextGaussian();
                }
                EnrollmentRecord sample = new EnrollmentRecord(identity, "Person " + i / PER_IDENTITY, "synthetic-" + i, 0L,
                        CropPng.encode(crop(i)), Map.of(OLD_VERSION, Embeddings.normalize(v0)));
                producer.send(new ProducerRecord<>(ReindexProcess.ENROLLMENT, new SampleKey(identity, "s" + i).toString(),
                        EnrollmentCodec.encode(sample)));
            }
            producer.flush();
        }
        System.err.println("produced " + SAMPLES);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!(embedder.gallery().identities().size() == IDENTITIES
                && embedder.gallery().identities().stream().allMatch(i -> i.samples() == PER_IDENTITY))) {
            assertTrue(System.nanoTime() < deadline, "the synthetic gallery did not reach the centroids in time");
            Thread.sleep(500);
        }
    }

    /** A distinct crop per sample that PNG compresses well: a colour of its own over a gradient. */
    private static RgbImage crop(int i) {
        int size = ReindexProcess.CROP_SIZE;
        byte[] pixels = new byte[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int at = 3 * (y * size + x);
                pixels[at] = (byte) (i * 37 + x);
                pixels[at + 1] = (byte) (i * 91 + y);
                pixels[at + 2] = (byte) (i * 13 + (i / 256));
            }
        }
        return new RgbImage(size, size, pixels);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {embedder, pipelines, broker}) {
            if (c != null) {
                c.close();
            }
        }
        if (work != null) {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aReindexKilledPartWayResumesWhereItStoppedWithinASmallHeap() throws Exception {
        // first run: killed (SIGKILL, as a crashed pod) once it reports 4,000 samples embedded
        Process first = reindexProcess();
        AtomicInteger reported = new AtomicInteger();
        List<String> firstLog = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                firstLog.add(line);
                Matcher m = PROGRESS.matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) >= 4_000) {
                    reported.set(Integer.parseInt(m.group(1)));
                    assertEquals(SAMPLES, Integer.parseInt(m.group(2)), line);
                    first.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(first.waitFor(1, TimeUnit.MINUTES));
        assertTrue(reported.get() >= 4_000, "the first run (exit code " + first.exitValue() + ") never reported 4,000 samples embedded:\n"
                + String.join("\n", firstLog));

        int done = samplesWith(version);
        assertTrue(done >= 4_000 - 256 && done < SAMPLES, "samples written back before the kill: " + done);

        // second run: embeds only the rest, and waits for every identity's centroids of the new version
        Process second = reindexProcess();
        String log = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(second.waitFor(10, TimeUnit.MINUTES), "the second run did not end");
        assertEquals(0, second.exitValue(), "second run failed:\n" + log);
        assertTrue(log.contains("embedded=" + (SAMPLES - done) + " identities=" + IDENTITIES + "\n"), log);
        System.err.println("re-index: first run killed after reporting " + reported.get() + " samples embedded, " + done
                + " written back; the second run embedded " + (SAMPLES - done) + " (" + HEAP + ")");
        assertEquals(SAMPLES, samplesWith(version));
        assertTrue(embedder.gallery().identities().stream().allMatch(i -> i.modelVersions().contains(version)));
    }

    private static Process reindexProcess() throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                // ONNX Runtime runs on the calling thread's stack: ./arcstream gives it 4m, enough for the face model;
                // this test's model (one 37,632-wide MatMul) overflows 4m natively (SIGSEGV) and runs in 8m
                "-Xss8m", "-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true", "-XX:+ExitOnOutOfMemoryError",
                ReindexProcess.class.getName(), broker.bootstrapServers(), model.toString(), version);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // not -cp: ONNX Runtime's start recurses natively with the length of the command line
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return builder.start();
    }

    /** Samples of the enrollment topic that carry an embedding of {@code v}, read as the re-index reads them. */
    private static int samplesWith(String v) {
        Map<String, Boolean> has = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicScan.read(c, ReindexProcess.ENROLLMENT, Duration.ofSeconds(30), r -> {
                if (r.value() == null) {
                    has.remove(r.key());
                } else {
                    has.put(r.key(), EnrollmentCodec.decode(r.value()).embeddings().containsKey(v));
                }
            });
        }
        return (int) has.values().stream().filter(b -> b).count();
    }
}
