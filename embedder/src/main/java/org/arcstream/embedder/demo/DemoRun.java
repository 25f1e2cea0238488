package org.arcstream.embedder.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.arcstream.ingest.topics.FrameHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: an in-process broker, the embedder, a folder-per-identity
 * gallery enrolled through the enrollment topic, source images streamed as camera frames through
 * the embedder and matcher (exactly once), and the matches read back and counted.
 */
public final class DemoRun {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
    private static final String CAMERA = "demo";

    /**
     * @param enrollPerIdentity enroll only the first N images of each identity (0 = all); when the
     *     source is the gallery itself, the enrolled images are not streamed
     * @param framesPerSecond offered frame rate (0 = as fast as the producer goes)
     */
    public record Options(Path gallery, Path source, int enrollPerIdentity, double framesPerSecond, float threshold,
            FacePipelineConfig pipeline, Duration timeout) {}

    private DemoRun() {}

    public static DemoSummary run(Options options, Consumer<MatchRecord> onMatch) throws IOException, InterruptedException {
        Path stateDir = Files.createTempDirectory("arcstream-demo-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                FacePipelinePool pipelines = new FacePipelinePool(options.pipeline())) {
            EmbedderSettings settings = EmbedderSettings.defaults(broker.bootstrapServers(), options.pipeline(), options.threshold())
                    .withStateDir(stateDir);
            TopicNames topics = settings.topics();
            try (KafkaEmbedderRuntime embedder = KafkaEmbedderRuntime.start(settings, pipelines,
                    new MatchThreshold(options.threshold()), PipelineListener.NONE)) {
                if (!embedder.awaitReady(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the embedder did not start (state " + embedder.state() + ")");
                }
                Set<Path> enrolledFiles = new HashSet<>();
                Set<String> identities = enroll(options, embedder.gallery(), enrolledFiles, options.timeout());
                List<Path> sources = ImageFiles.expand(List.of(options.source())).stream()
                        .filter(f -> !enrolledFiles.contains(f.toAbsolutePath().normalize())).toList();
                if (sources.isEmpty()) {
                    throw new IllegalArgumentException("no source images left to stream under " + options.source());
                }
                long started = System.currentTimeMillis();
                Map<Long, String> labels = publish(broker.bootstrapServers(), topics, sources, options.framesPerSecond());
                return collect(broker.bootstrapServers(), topics, labels, identities, started, options.timeout(), onMatch);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Enrolls the first N usable images of each identity through the enrollment topic and waits until
     * the matcher's gallery holds them all; returns the enrolled identity ids.
     */
    private static Set<String> enroll(Options options, GalleryService gallery, Set<Path> enrolledFiles, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, List<Path>> byIdentity = new TreeMap<>();
        for (Enroller.GalleryImage image : Enroller.scan(options.gallery())) {
            byIdentity.computeIfAbsent(image.identity(), k -> new ArrayList<>()).add(image.file());
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (Map.Entry<String, List<Path>> e : byIdentity.entrySet()) {
            List<Path> files = e.getValue();
            int wanted = options.enrollPerIdentity() > 0 ? options.enrollPerIdentity() : files.size();
            int accepted = 0;
            // take more images of the identity when some are rejected, until N are enrolled
            for (int next = 0; accepted < wanted && next < files.size(); ) {
                List<Path> chunk = files.subList(next, Math.min(files.size(), next + wanted - accepted));
                next += chunk.size();
                List<EnrollImage> images = new ArrayList<>();
                for (Path file : chunk) {
                    images.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
                }
                EnrollOutcome outcome = gallery.enroll(e.getKey(), e.getKey().replace('_', ' '), images, OptionalInt.empty());
                Set<String> rejected = new HashSet<>();
                for (EnrollOutcome.Rejection r : outcome.rejected()) {
                    // one unusable gallery image must not stop the others
                    LOG.warn("not enrolled: {}: {}", r.source(), r.reason());
                    rejected.add(r.source());
                }
                for (Path file : chunk) {
                    if (!rejected.contains(file.toString())) {
                        enrolledFiles.add(file.toAbsolutePath().normalize());
                    }
                }
                accepted += outcome.acceptedSamples().size();
            }
            if (accepted > 0) {
                expected.put(e.getKey(), accepted);
            }
        }
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!galleryHolds(gallery, expected)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("enrolled identities did not reach the matcher within " + timeout);
            }
            Thread.sleep(50);
        }
        LOG.info("Enrolled {} images of {} identities", enrolledFiles.size(), expected.size());
        return expected.keySet();
    }

    private static boolean galleryHolds(GalleryService gallery, Map<String, Integer> expected) {
        Map<String, Integer> held = new TreeMap<>();
        gallery.identities().forEach(i -> held.put(i.id(), i.samples()));
        return expected.entrySet().stream().allMatch(e -> e.getValue().equals(held.get(e.getKey())));
    }

    /** Sends every source image as a frame at the offered rate; returns the label (folder name) per sequence number. */
    private static Map<Long, String> publish(String bootstrap, TopicNames topics, List<Path> sources, double fps)
            throws IOException, InterruptedException {
        Map<Long, String> labels = new HashMap<>();
        long intervalNanos = fps > 0 ? (long) (1e9 / fps) : 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < sources.size(); i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Path file = sources.get(i);
                RecordHeaders headers = new RecordHeaders();
                FrameHeaders.put(headers, FrameHeaders.CAMERA, CAMERA);
                FrameHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(i));
                FrameHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
                FrameHeaders.put(headers, FrameHeaders.VERSION, "1");
                producer.send(new ProducerRecord<>(topics.frames(), null, CAMERA, Files.readAllBytes(file), headers));
                labels.put((long) i, file.getParent() == null ? null : file.getParent().getFileName().toString());
            }
        }
        return labels;
    }

    private static DemoSummary collect(String bootstrap, TopicNames topics, Map<Long, String> labels, Set<String> gallery,
            long started, Duration timeout, Consumer<MatchRecord> onMatch) {
        Set<Long> done = new HashSet<>();
        List<Double> latencies = new ArrayList<>();
        int faces = 0, recognized = 0, unknown = 0, labeled = 0, correct = 0, dead = 0;
        long last = started;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "arcstream-demo",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.matches(), topics.deadLetter()));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (done.size() < labels.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    last = now;
                    if (r.topic().equals(topics.deadLetter())) {
                        dead++;
                        done.add(FrameHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1));
                        continue;
                    }
                    MatchRecord m = MatchCodec.decode(r.value());
                    onMatch.accept(m);
                    faces++;
                    if (m.known()) {
                        recognized++;
                    } else {
                        unknown++;
                    }
                    if (m.face() != 0) {
                        continue;
                    }
                    // the frame's verdict is its best face's; latency is capture to match read
                    done.add(m.sequence());
                    latencies.add((double) (now - m.capturedAt()));
                    String label = labels.get(m.sequence());
                    if (label != null && gallery.contains(label)) {
                        labeled++;
                        if (label.equals(m.identity())) {
                            correct++;
                        }
                    }
                }
            }
        }
        double seconds = Math.max(1e-3, (last - started) / 1000.0);
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new DemoSummary(labels.size(), faces, recognized, unknown, labeled, correct, dead,
                done.size() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
