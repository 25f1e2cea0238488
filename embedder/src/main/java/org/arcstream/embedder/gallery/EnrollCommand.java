package org.arcstream.embedder.gallery;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImage;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.EmbedderTopics;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.KafkaClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code enroll}: enrolls a folder-per-identity gallery into the enrollment topic of a running cluster and,
 * unless told not to, returns only once matching sees every accepted sample: when the centroids topic,
 * which every embedder's matcher loads, lists them (see {@link MatchingVisibility}).
 */
@Command(name = "enroll", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Enroll a gallery (one sub-folder of images per identity) through the enrollment topic.",
                "By default it returns once the embedders match against every accepted sample (their identity's centroid lists it), "
                        + "or fails after --wait-timeout; --no-wait returns as soon as Kafka has the samples.",
                "Exit code: 0 done; 1 nothing enrolled, an image could not be read, the samples did not become visible in time, "
                        + "or Kafka could not be used; 2 usage error."})
public final class EnrollCommand implements Callable<Integer> {

    @Option(names = "--gallery", required = true, paramLabel = "DIR",
            description = "One sub-folder per identity; the folder name is the identity id, with '_' shown as ' ' in its name.")
    Path gallery;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", defaultValue = "localhost:9092",
            description = "Kafka cluster (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = {"A Kafka client property, e.g. security.protocol=SASL_SSL (repeatable); also from ARCSTREAM_KAFKA_* variables.",
                    "A secret can be named instead of given: $${file:PATH:KEY}, $${dir:FOLDER:FILE} or $${env:VARIABLE}."})
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--face-index", paramLabel = "N",
            description = "Enroll face N of every image (0 = highest detector score) instead of refusing images with several faces.")
    Integer faceIndex;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait until matching sees the samples (default); --no-wait returns once Kafka has them.")
    boolean waitForMatching;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Longest wait for the embedders to show the samples (default ${DEFAULT-VALUE}).")
    int waitTimeoutSeconds;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = "enrollment", description = "Enrollment topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--centroids-topic", paramLabel = "NAME", defaultValue = "centroids",
            description = "Centroids topic the embedders derive from it (default ${DEFAULT-VALUE}).")
    String centroidsTopic;

    @Option(names = "--active-model-topic", paramLabel = "NAME", defaultValue = "active-model",
            description = "Topic naming the model the embedders match with (default ${DEFAULT-VALUE}).")
    String activeModelTopic;

    @Option(names = "--config", paramLabel = "FILE", description = "Face pipeline settings file (keys of arcstream.properties).")
    Path config;

    @Spec
    CommandSpec spec;

    /** The cluster with the --kafka properties over the ARCSTREAM_KAFKA_* variables. */
    private KafkaClientConfig kafkaClientConfig() {
        try {
            return KafkaClientConfig.resolve(bootstrapServers, kafkaProperties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private TopicNames topics() {
        TopicNames d = TopicNames.defaults();
        return new TopicNames(d.frames(), d.faces(), d.matches(), d.deadLetter(), topic, centroidsTopic);
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new EnrollCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        CommandLines.requireExisting(spec, gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, config, "--config", CommandLines.PathKind.FILE);
        if (waitTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--wait-timeout must be at least 1 second");
        }
        Settings core = Settings.load(config);
        KafkaClientConfig kafka = kafkaClientConfig();
        EmbedderSettings settings = EmbedderSettings.defaults(kafka, FacePipelineConfig.from(core), core.decimal("match.threshold"))
                .withTopics(topics());
        Map<String, List<Path>> byIdentity = new LinkedHashMap<>();
        for (Enroller.GalleryImage image : Enroller.scan(gallery)) {
            byIdentity.computeIfAbsent(image.identity(), k -> new ArrayList<>()).add(image.file());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EmbedderTopics.ensure(settings.kafka(), settings.topics());
        int accepted = 0, rejected = 0;
        List<UnreadableImage> unreadable = new ArrayList<>();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        String modelVersion;
        try (FacePipelinePool pipelines = new FacePipelinePool(settings.pipeline());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.kafka().clientConfig(Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), new ByteArraySerializer())) {
            EnrollmentWriter writer = new EnrollmentWriter(producer, settings.topics().enrollment(), pipelines, Clock.systemUTC());
            modelVersion = writer.modelVersion();
            if (!sameModelAsTheEmbedders(modelVersion, err)) {
                return CommandLines.FAILURE;
            }
            OptionalInt face = faceIndex == null ? OptionalInt.empty() : OptionalInt.of(faceIndex);
            for (Map.Entry<String, List<Path>> e : byIdentity.entrySet()) {
                String id = e.getKey();
                try {
                    SampleKey.checkIdentityId(id);
                } catch (IllegalArgumentException ex) {
                    err.printf("%s: skipped, not a usable identity id: %s%n", id, ex.getMessage());
                    rejected += e.getValue().size();
                    continue;
                }
                int unreadableBefore = unreadable.size();
                List<EnrollImage> images = new ArrayList<>();
                for (Path file : e.getValue()) {
                    try {
                        images.add(new EnrollImage(file.toString(), ImageFolders.readBytes(file)));
                    } catch (UnreadableImageException ex) {
                        unreadable.add(ex.image());
                        err.println(ex.image());
                    }
                }
                EnrollOutcome outcome = writer.enroll(id, id.replace('_', ' '), images, face);
                int rejectedHere = 0;
                for (EnrollOutcome.Rejection r : outcome.rejected()) {
                    if (r.unreadable()) {
                        UnreadableImage u = new UnreadableImage(r.source(), r.reason());
                        unreadable.add(u);
                        err.println(u);
                    } else {
                        err.printf("not enrolled: %s: %s%n", r.source(), r.reason());
                        rejectedHere++;
                    }
                }
                int unreadableHere = unreadable.size() - unreadableBefore;
                out.printf("%s: %d enrolled, %d rejected%s%n", id, outcome.acceptedSamples().size(), rejectedHere,
                        unreadableHere > 0 ? ", " + unreadableHere + " unreadable" : "");
                out.flush();
                accepted += outcome.acceptedSamples().size();
                rejected += rejectedHere;
                if (!outcome.acceptedSamples().isEmpty()) {
                    expected.put(id, new LinkedHashSet<>(outcome.acceptedSamples()));
                }
            }
        }
        String visibility = "not waited for the embedders (--no-wait)";
        boolean visible = true;
        if (waitForMatching && !expected.isEmpty()) {
            visibility = "visible to matching";
            visible = awaitMatching(modelVersion, expected, err);
        }
        out.printf("%d images enrolled, %d rejected, %d unreadable, %d identities, topic %s%s%n", accepted, rejected, unreadable.size(),
                byIdentity.size(), settings.topics().enrollment(), expected.isEmpty() ? "" : ", " + (visible ? visibility : "NOT yet visible to matching"));
        out.flush();
        if (!unreadable.isEmpty()) {
            err.println("arcstream enroll: " + unreadable.size() + " image(s) could not be read (listed above)");
        }
        err.flush();
        return accepted > 0 && unreadable.isEmpty() && visible ? CommandLines.OK : CommandLines.FAILURE;
    }

    /**
     * The embedders match with the model named on the active-model topic (the default model when none is):
     * samples embedded with another model would not be matched until the next re-index. With the wait,
     * that is a failure before anything is written; without it, a warning.
     */
    private boolean sameModelAsTheEmbedders(String modelVersion, PrintWriter err) {
        Optional<String> active = MatchingVisibility.activeModel(kafkaClientConfig(), activeModelTopic, Duration.ofSeconds(30));
        if (active.isEmpty() || active.get().equals(modelVersion)) {
            return true;
        }
        String problem = "the embedders match with model " + active.get() + " (topic " + activeModelTopic + "), this command embeds with model "
                + modelVersion + ": its samples would not be matched until the gallery is re-indexed; enroll through the embedder's "
                + "admin API, or give --config a settings file whose embedding.model is model " + active.get();
        if (waitForMatching) {
            err.println("arcstream enroll: " + problem);
            return false;
        }
        err.println("arcstream enroll: warning: " + problem);
        return true;
    }

    /** Waits until the centroids topic lists every accepted sample; false (with the reason on stderr) when it does not in time. */
    private boolean awaitMatching(String modelVersion, Map<String, Set<String>> expected, PrintWriter err) {
        int samples = expected.values().stream().mapToInt(Set::size).sum();
        err.printf("waiting until the embedders match against %d sample(s) of %d identities (up to %d s; --no-wait not to wait)%n",
                samples, expected.size(), waitTimeoutSeconds);
        err.flush();
        List<MatchingVisibility.Lacking> lacking = MatchingVisibility.await(kafkaClientConfig(), centroidsTopic, modelVersion, expected,
                Duration.ofSeconds(waitTimeoutSeconds));
        if (lacking.isEmpty()) {
            return true;
        }
        err.println("arcstream enroll: the samples are in topic " + topic + ", but after " + waitTimeoutSeconds + " s the centroids (topic "
                + centroidsTopic + ") do not show all of them for " + lacking.size() + " of " + expected.size() + " identities ("
                + String.join(", ", lacking.stream().limit(3).map(Object::toString).toList()) + (lacking.size() > 3 ? ", ..." : "")
                + "): is an embedder running against " + bootstrapServers + " with these topics? Samples it refuses go to its "
                + "dead-letter topic. They are matched as soon as it processes them; --wait-timeout waits longer.");
        return false;
    }
}
