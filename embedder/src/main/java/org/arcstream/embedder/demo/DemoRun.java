package org.arcstream.embedder.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
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
import org.apache.kafka.streams.KafkaStreams;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.enroll.EnrollmentRejectedException;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.match.Identity;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.ingest.broker.EmbeddedKafkaBroker;
import org.arcstream.embedder.stream.EmbedderTopology;
import org.arcstream.ingest.topics.FrameHeaders;
import org.arcstream.embedder.stream.TopicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: an in-process broker, a gallery enrolled from a
 * folder-per-identity directory, source images streamed as camera frames through the embedder
 * topology (exactly once), and the matches read back and counted.
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
        Set<Path> enrolledFiles = new HashSet<>();
        CentroidIndex gallery = enroll(options, enrolledFiles);
        List<Path> sources = ImageFiles.expand(List.of(options.source())).stream()
                .filter(f -> !enrolledFiles.contains(f.toAbsolutePath().normalize())).toList();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source images left to stream under " + options.source());
        }
        TopicNames topics = TopicNames.defaults();
        Path stateDir = Files.createTempDirectory("arcstream-demo-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of(topics.frames(), 1, topics.faces(), 1, topics.matches(), 1, topics.deadLetter(), 1));
            try (KafkaStreams streams = new KafkaStreams(
                    EmbedderTopology.build(topics, () -> new FacePipeline(options.pipeline()), () -> gallery, options.threshold()),
                    EmbedderTopology.streamsProperties("arcstream-embedder", broker.bootstrapServers(), stateDir))) {
                streams.start();
                long started = System.currentTimeMillis();
                Map<Long, String> labels = publish(broker.bootstrapServers(), topics, sources, options.framesPerSecond());
                return collect(broker.bootstrapServers(), topics, labels, gallery, started, options.timeout(), onMatch);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static CentroidIndex enroll(Options options, Set<Path> enrolledFiles) {
        Map<Identity, List<float[]>> enrolled = new LinkedHashMap<>();
        Map<String, Integer> taken = new HashMap<>();
        try (FacePipeline pipeline = new FacePipeline(options.pipeline())) {
            Enroller enroller = new Enroller(pipeline);
            for (Enroller.GalleryImage image : Enroller.scan(options.gallery())) {
                if (options.enrollPerIdentity() > 0 && taken.getOrDefault(image.identity(), 0) >= options.enrollPerIdentity()) {
                    continue;
                }
                try {
                    var sample = enroller.enroll(image.identity(), image.file().toString(),
                            ImageFiles.decode(pipeline.decoder(), image.file()), OptionalInt.empty());
                    enrolled.computeIfAbsent(new Identity(image.identity(), image.identity().replace('_', ' ')), k -> new ArrayList<>())
                            .add(sample.embedding());
                    taken.merge(image.identity(), 1, Integer::sum);
                    enrolledFiles.add(image.file().toAbsolutePath().normalize());
                } catch (EnrollmentRejectedException e) {
                    // one unusable gallery image must not stop the others
                    LOG.warn("not enrolled: {}", e.getMessage());
                } catch (ImageDecodeException | IllegalArgumentException e) {
                    LOG.warn("not enrolled: {}: {}", image.file(), e.getMessage());
                }
            }
        }
        LOG.info("Enrolled {} images of {} identities", enrolledFiles.size(), enrolled.size());
        return CentroidIndex.build(enrolled, 1);
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

    private static DemoSummary collect(String bootstrap, TopicNames topics, Map<Long, String> labels, CentroidIndex gallery,
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
