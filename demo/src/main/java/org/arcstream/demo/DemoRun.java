package org.arcstream.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.broker.security.BrokerSecurity;
import org.arcstream.broker.security.WriteProbe;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.GalleryService;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.EmbedderTopics;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.ingest.publish.CameraStats;
import org.arcstream.ingest.publish.FrameProducers;
import org.arcstream.ingest.publish.FramePublisher;
import org.arcstream.ingest.publish.FramesTopicCheck;
import org.arcstream.ingest.publish.PublisherSettings;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSourceException;
import org.arcstream.ingest.source.FrameSources;
import org.arcstream.ingest.source.SourceOptions;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.ServiceAcls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: an in-process broker, the embedder, a folder-per-identity
 * gallery enrolled through the enrollment topic, source images streamed as camera frames through
 * the embedder and matcher (exactly once), and the matches read back and counted. Every frame the source
 * offers is accounted for: sent (then matched, dead-lettered or still without a verdict at the end) or
 * dropped with its reason (unreadable, larger than the broker accepts, refused by Kafka, left out).
 */
public final class DemoRun {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
    private static final String CAMERA = "demo";

    /**
     * @param source an image folder or file, a video file, or an RTSP or MJPEG camera URL (see ingest's FrameSources)
     * @param enrollPerIdentity enroll only the first N images of each identity (0 = all); when the
     *     source is the gallery itself, the enrolled images are not streamed
     * @param framesPerSecond offered frame rate (0 = as fast as the producer goes)
     * @param maxFrames stop after this many frames (0 = at the end of the source)
     * @param loop start the source over at its end (files) or reconnect (cameras); use with maxFrames
     * @param maxFrameBytes larger frames are not sent, only counted as dropped; 0 (or more than the
     *     in-process broker's frames topic accepts) = the largest frame that topic accepts
     * @param security what the broker requires of its clients; when secured, every service connects as its own
     *     principal with the ACLs of {@link ServiceAcls}, and forbidden writes are tried to show they are refused
     */
    public record Options(Path gallery, String source, int enrollPerIdentity, double framesPerSecond, int maxFrames, boolean loop,
            float threshold, FacePipelineConfig pipeline, Duration timeout, int maxFrameBytes, BrokerSecurity security) {

        public Options {
            if (security == null) {
                throw new IllegalArgumentException("the broker's security must be given (plaintext for none)");
            }
            if (loop && maxFrames <= 0) {
                throw new IllegalArgumentException("a looping source needs a frame limit");
            }
            if (maxFrameBytes < 0) {
                throw new IllegalArgumentException("max frame bytes must be 0 (the broker's limit) or positive, got " + maxFrameBytes);
            }
        }

        /** On a plaintext broker. */
        public Options(Path gallery, String source, int enrollPerIdentity, double framesPerSecond, int maxFrames, boolean loop,
                float threshold, FacePipelineConfig pipeline, Duration timeout, int maxFrameBytes) {
            this(gallery, source, enrollPerIdentity, framesPerSecond, maxFrames, loop, threshold, pipeline, timeout, maxFrameBytes,
                    BrokerSecurity.PLAINTEXT);
        }

        /** Frames up to the largest the in-process broker accepts. */
        public Options(Path gallery, String source, int enrollPerIdentity, double framesPerSecond, int maxFrames, boolean loop,
                float threshold, FacePipelineConfig pipeline, Duration timeout) {
            this(gallery, source, enrollPerIdentity, framesPerSecond, maxFrames, loop, threshold, pipeline, timeout, 0);
        }
    }

    /** The frame size limit of a run, and whether it is the broker's own. */
    private record FrameLimit(int bytes, boolean broker) {}

    /** What the matches and dead-letter topics said about the frames sent. */
    private record Verdicts(int faces, int recognized, int unknown, int labeled, int correct, int deadLettered,
            double framesPerSecond, double sustainedFramesPerSecond, double latencyP50Millis, double latencyP99Millis,
            Set<Long> matched, Set<Long> deadLetteredFrames) {}

    private DemoRun() {}

    public static DemoSummary run(Options options, Consumer<MatchRecord> onMatch) throws IOException, InterruptedException {
        return run(options, enrolled -> options.framesPerSecond(), onMatch);
    }

    /**
     * As {@link #run(Options, Consumer)}, with the offered frame rate decided once the gallery is enrolled,
     * from the image files that were enrolled (and so will not be streamed).
     */
    public static DemoSummary run(Options options, ToDoubleFunction<Set<Path>> offeredRate, Consumer<MatchRecord> onMatch)
            throws IOException, InterruptedException {
        return run(options, offeredRate, 0, onMatch);
    }

    /**
     * As {@link #run(Options, ToDoubleFunction, Consumer)}, with {@code warmUpFrames} more frames streamed first at the
     * same rate and left out of the summary: a benchmark measures the stream once its code and clients have warmed up,
     * as it does the bare pipeline.
     */
    public static DemoSummary run(Options options, ToDoubleFunction<Set<Path>> offeredRate, int warmUpFrames, Consumer<MatchRecord> onMatch)
            throws IOException, InterruptedException {
        if (warmUpFrames < 0 || warmUpFrames > 0 && options.maxFrames() <= 0) {
            throw new IllegalArgumentException("warm-up frames need a frame limit and must not be negative, got " + warmUpFrames);
        }
        Path stateDir = newStateDir();
        try (EmbeddedKafkaBroker broker = startBroker(options.security());
                FacePipelinePool pipelines = new FacePipelinePool(options.pipeline())) {
            EmbedderSettings settings = EmbedderSettings.defaults(broker.clientConfig(ServiceAcls.EMBEDDER), options.pipeline(),
                    options.threshold()).withStateDir(stateDir);
            TopicNames topics = settings.topics();
            if (options.security() != BrokerSecurity.PLAINTEXT) {
                grantServiceAcls(broker, settings);
            }
            try (KafkaEmbedderRuntime embedder = KafkaEmbedderRuntime.start(settings, pipelines,
                    new MatchThreshold(options.threshold()), PipelineListener.NONE)) {
                if (!embedder.awaitReady(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the embedder did not start (state " + embedder.state() + ")");
                }
                Set<Path> enrolledFiles = new HashSet<>();
                Set<String> identities = enroll(options, embedder.gallery(), enrolledFiles, options.timeout());
                requireFramesLeft(options.source(), enrolledFiles);
                double framesPerSecond = offeredRate.applyAsDouble(Set.copyOf(enrolledFiles));
                KafkaClientConfig ingest = broker.clientConfig(ServiceAcls.INGEST);
                FrameLimit limit = frameLimit(options, ingest, topics.frames());
                Map<Long, String> labels = new ConcurrentHashMap<>();
                long started = System.currentTimeMillis();
                try (Producer<String, byte[]> producer = FrameProducers.create(ingest, limit.bytes());
                        FrameSource source = new DemoFrames(FrameSources.open(options.source(),
                                SourceOptions.defaults().withLoop(options.loop())), enrolledFiles,
                                options.maxFrames() > 0 ? options.maxFrames() + warmUpFrames : 0)) {
                    FramePublisher publisher = new FramePublisher(CAMERA, producer, PublisherSettings.defaults()
                            .withTopic(topics.frames()).withFramesPerSecond(framesPerSecond).withMaxFrameBytes(limit.bytes()));
                    // frames are published while matches are read, so a live camera is summarized as it goes
                    CompletableFuture<CameraStats> publishing = CompletableFuture.supplyAsync(() -> {
                        try {
                            return publisher.run(source, sent -> label(sent.origin()).ifPresent(l -> labels.put(sent.sequence(), l)));
                        } catch (FrameSourceException e) {
                            throw new CompletionException(e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new CompletionException(e);
                        }
                    });
                    Verdicts verdicts;
                    try {
                        verdicts = collect(broker.clientConfig(ServiceAcls.READER), topics, publishing::isDone, () -> publisher.stats().sent(),
                                labels, identities, warmUpFrames, started, options.timeout(), onMatch);
                    } finally {
                        publisher.stop();
                    }
                    DemoSummary.Security security = options.security() == BrokerSecurity.PLAINTEXT
                            ? new DemoSummary.Security(options.security().securityProtocol(), 0, 0)
                            : probeForbiddenWrites(broker, topics);
                    DemoSummary summary = summarize(verdicts, finalStats(publishing, publisher), warmUpFrames, limit, security);
                    reportSourceFailure(publishing, summary);
                    return summary;
                }
            }
        } finally {
            FileTrees.delete(stateDir);
        }
    }

    /** A broker that knows every service's principal when it is secured. */
    private static EmbeddedKafkaBroker startBroker(BrokerSecurity security) {
        return EmbeddedKafkaBroker.start(security, security == BrokerSecurity.PLAINTEXT ? List.of() : ServiceAcls.defaults().byPrincipal().keySet());
    }

    /**
     * Creates the topics as the broker's administrator (no service may create topics) and grants each
     * service's principal its ACLs, for the topic names the run uses.
     */
    private static void grantServiceAcls(EmbeddedKafkaBroker broker, EmbedderSettings settings) {
        TopicNames t = settings.topics();
        ServiceAcls shipped = ServiceAcls.defaults();
        ServiceAcls acls = new ServiceAcls(t.frames(), t.faces(), t.matches(), t.deadLetter(), t.enrollment(), t.centroids(),
                shipped.models(), shipped.activeModel(), shipped.labels(), settings.applicationId(), shipped.readerGroup(), t.recognitions());
        EmbedderTopics.ensure(broker.adminConfig(), t);
        broker.createTopics(Map.of(acls.models(), 1, acls.activeModel(), 1));
        broker.createAcls(acls.all());
    }

    /**
     * Tries writes that the ACLs forbid, each as the principal of a service that must not make it; a write
     * that goes through is logged as an error and not counted as refused.
     */
    private static DemoSummary.Security probeForbiddenWrites(EmbeddedKafkaBroker broker, TopicNames topics) {
        Map<String, String> forbidden = new java.util.LinkedHashMap<>();
        forbidden.put(ServiceAcls.INGEST, topics.enrollment()); // enrolling a face under any name
        forbidden.put(ServiceAcls.EMBEDDER, ServiceAcls.defaults().models()); // announcing a model
        forbidden.put(ServiceAcls.READER, topics.frames()); // feeding frames as a camera
        int refused = 0;
        for (Map.Entry<String, String> probe : forbidden.entrySet()) {
            WriteProbe.Outcome outcome = WriteProbe.write(broker.clientConfig(probe.getKey()), probe.getValue(), "acl-probe",
                    new byte[] {0});
            if (outcome == WriteProbe.Outcome.REFUSED) {
                refused++;
                LOG.info("Refused as it should be: {} writing to {}", probe.getKey(), probe.getValue());
            } else {
                LOG.error("{} could write to {}: the ACLs do not hold", probe.getKey(), probe.getValue());
            }
        }
        return new DemoSummary.Security(broker.security().securityProtocol(), forbidden.size(), refused);
    }

    /**
     * A fresh folder for the run's Streams state, deleted at its end: under the user's state folder rather
     * than the system temp dir, which Kafka Streams warns about.
     */
    private static Path newStateDir() throws IOException {
        try {
            Path home = Files.createDirectories(EmbedderSettings.stateHome());
            return Files.createTempDirectory(home, "demo-");
        } catch (IOException e) {
            return Files.createTempDirectory("arcstream-demo-state");
        }
    }

    /**
     * The frame size limit: what the frames topic of the in-process broker accepts, or a lower one asked for.
     * Frames above it are counted as dropped rather than sent to be refused by the broker.
     */
    private static FrameLimit frameLimit(Options options, KafkaClientConfig ingest, String framesTopic) {
        int broker = FramesTopicCheck.largestFrame(ingest, framesTopic, Duration.ofSeconds(30))
                .orElse(PublisherSettings.DEFAULT_MAX_FRAME_BYTES);
        if (options.maxFrameBytes() > broker) {
            LOG.warn("max-frame-bytes {} is more than the in-process broker accepts: frames over {} bytes are not sent",
                    options.maxFrameBytes(), broker);
        }
        return options.maxFrameBytes() > 0 && options.maxFrameBytes() < broker
                ? new FrameLimit(options.maxFrameBytes(), false) : new FrameLimit(broker, true);
    }

    /**
     * The publisher's counts once it has finished: stopped, its queue sent and Kafka's answers in, so that every
     * frame read is either sent or dropped.
     */
    private static CameraStats finalStats(CompletableFuture<CameraStats> publishing, FramePublisher publisher)
            throws InterruptedException {
        try {
            publishing.handle((stats, e) -> stats).get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            LOG.warn("the publisher did not finish within 2 minutes; frames still queued count as left out");
        }
        return publisher.stats();
    }

    private static DemoSummary summarize(Verdicts v, CameraStats stats, int warmUpFrames, FrameLimit limit, DemoSummary.Security security) {
        int sent = (int) stats.sent() - warmUpFrames;
        int pending = (int) Math.max(0, stats.pending());
        DemoSummary.Dropped dropped = new DemoSummary.Dropped((int) stats.unreadable(), (int) stats.oversized(),
                (int) stats.failed(), (int) stats.dropped() + pending, limit.bytes(), limit.broker());
        Set<Long> deadOnly = new HashSet<>(v.deadLetteredFrames());
        deadOnly.removeAll(v.matched());
        int withoutVerdict = Math.max(0, sent - v.matched().size() - deadOnly.size());
        return new DemoSummary(sent, v.faces(), v.recognized(), v.unknown(), v.labeled(), v.correct(), v.deadLettered(),
                v.framesPerSecond(), v.sustainedFramesPerSecond(), v.latencyP50Millis(), v.latencyP99Millis(),
                (int) stats.offered() - warmUpFrames, dropped, v.matched().size(), deadOnly.size(), withoutVerdict, security);
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

    /** A folder or image source must keep at least one image that was not enrolled: a looping source of none would spin. */
    private static void requireFramesLeft(String source, Set<Path> enrolledFiles) {
        Path path = Path.of(source);
        if (source.contains("://") || !Files.exists(path) || !(Files.isDirectory(path) || ImageFiles.looksLikeImage(path))) {
            return;
        }
        boolean left = ImageFiles.expand(List.of(path)).stream()
                .anyMatch(f -> !enrolledFiles.contains(f.toAbsolutePath().normalize()));
        if (!left) {
            throw new IllegalArgumentException("no source images left to stream under " + source + " (all were enrolled)");
        }
    }

    /** The label of a frame read from an image file: the name of its folder (folder-per-identity layout). */
    private static Optional<String> label(String origin) {
        return DemoFrames.imageFile(origin).map(Path::getParent).map(Path::getFileName).map(Path::toString);
    }

    /**
     * Reads matches and dead letters until publishing has ended and every frame sent has its verdict
     * (or the timeout passes); frames are scored against their labels at the end, when all labels are known.
     */
    private static Verdicts collect(KafkaClientConfig reader, TopicNames topics, BooleanSupplier publishingDone, LongSupplier sent,
            Map<Long, String> labels, Set<String> gallery, int warmUpFrames, long started, Duration timeout, Consumer<MatchRecord> onMatch) {
        Map<Long, String> verdicts = new HashMap<>();
        Set<Long> done = new HashSet<>();
        Set<Long> matched = new HashSet<>();
        Set<Long> deadLettered = new HashSet<>();
        List<Long> verdictTimes = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        int faces = 0, recognized = 0, unknown = 0, labeled = 0, correct = 0, dead = 0;
        long last = started;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(reader.clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, ServiceAcls.defaults().readerGroup(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.matches(), topics.deadLetter()));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (!(publishingDone.getAsBoolean() && done.size() >= sent.getAsLong()) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    last = now;
                    if (r.topic().equals(topics.deadLetter())) {
                        // the enrollment's dead letters share the topic: only this run's frames and faces count
                        long sequence = FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1);
                        if (!CAMERA.equals(FrameRecordHeaders.string(r.headers(), FrameHeaders.CAMERA)) || sequence < 0) {
                            continue;
                        }
                        if (sequence < warmUpFrames) {
                            done.add(sequence);
                            continue;
                        }
                        dead++;
                        deadLettered.add(sequence);
                        if (done.add(sequence)) {
                            verdictTimes.add(now);
                        }
                        continue;
                    }
                    MatchRecord m = MatchCodec.decode(r.value());
                    if (m.sequence() < warmUpFrames) {
                        done.add(m.sequence());
                        continue;
                    }
                    onMatch.accept(m);
                    matched.add(m.sequence());
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
                    if (done.add(m.sequence())) {
                        verdictTimes.add(now);
                    }
                    latencies.add((double) (now - m.capturedAt()));
                    verdicts.put(m.sequence(), m.identity());
                }
            }
        }
        for (Map.Entry<Long, String> verdict : verdicts.entrySet()) {
            String label = labels.get(verdict.getKey());
            if (label != null && gallery.contains(label)) {
                labeled++;
                if (label.equals(verdict.getValue())) {
                    correct++;
                }
            }
        }
        double seconds = Math.max(1e-3, (last - started) / 1000.0);
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Verdicts(faces, recognized, unknown, labeled, correct, dead, done.size() / seconds, sustained(verdictTimes),
                percentile(sorted, 0.50), percentile(sorted, 0.99), matched, deadLettered);
    }

    /** A source that failed after some frames is a warning beside their summary; one that gave no frame is the run's error. */
    private static void reportSourceFailure(CompletableFuture<CameraStats> publishing, DemoSummary summary) {
        if (!publishing.isCompletedExceptionally()) {
            return;
        }
        Throwable failure = publishing.handle((stats, e) -> e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).join();
        if (summary.frames() == 0) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        LOG.warn("the source failed after {} frames: {}", summary.frames(), failure.getMessage());
    }

    /**
     * Frames per second once the stream has settled: verdicts over the time from the first tenth of them
     * to the last, so that start-up (first fetch, first transaction, cold code) does not count.
     */
    private static double sustained(List<Long> verdictTimes) {
        int n = verdictTimes.size();
        int first = n / 10;
        if (n - first < 2) {
            return Double.NaN;
        }
        double seconds = Math.max(1e-3, (verdictTimes.get(n - 1) - verdictTimes.get(first)) / 1000.0);
        return (n - 1 - first) / seconds;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
