package org.arcstream.embedder.gallery;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.EmbedderTopics;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.TopicNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enroll}: enrolls a folder-per-identity gallery into the enrollment topic of a running cluster. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Enroll a gallery (one sub-folder of images per identity) through the enrollment topic.")
public final class EnrollCommand implements Callable<Integer> {

    @Option(names = "--gallery", required = true, paramLabel = "DIR",
            description = "One sub-folder per identity; the folder name is the identity id, with '_' shown as ' ' in its name.")
    Path gallery;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", defaultValue = "localhost:9092",
            description = "Kafka cluster (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = "enrollment", description = "Enrollment topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--face-index", paramLabel = "N",
            description = "Enroll face N of every image (0 = highest detector score) instead of refusing images with several faces.")
    Integer faceIndex;

    @Option(names = "--config", paramLabel = "FILE", description = "Face pipeline settings file (keys of arcstream.properties).")
    Path config;

    private static TopicNames enrollmentTopic(String name) {
        TopicNames d = TopicNames.defaults();
        return new TopicNames(d.frames(), d.faces(), d.matches(), d.deadLetter(), name, d.centroids());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EnrollCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings core = Settings.load(config);
        EmbedderSettings settings = EmbedderSettings.defaults(bootstrapServers, FacePipelineConfig.from(core), core.decimal("match.threshold"))
                .withTopics(enrollmentTopic(topic));
        Map<String, List<Path>> byIdentity = new LinkedHashMap<>();
        for (Enroller.GalleryImage image : Enroller.scan(gallery)) {
            byIdentity.computeIfAbsent(image.identity(), k -> new ArrayList<>()).add(image.file());
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        EmbedderTopics.ensure(settings.bootstrapServers(), settings.topics());
        int accepted = 0, rejected = 0;
        try (FacePipelinePool pipelines = new FacePipelinePool(settings.pipeline());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            EnrollmentWriter writer = new EnrollmentWriter(producer, settings.topics().enrollment(), pipelines, Clock.systemUTC());
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
                List<EnrollImage> images = new ArrayList<>();
                for (Path file : e.getValue()) {
                    images.add(new EnrollImage(file.toString(), Files.readAllBytes(file)));
                }
                EnrollOutcome outcome = writer.enroll(id, id.replace('_', ' '), images, face);
                outcome.rejected().forEach(r -> err.printf("not enrolled: %s: %s%n", r.source(), r.reason()));
                out.printf("%s: %d enrolled, %d rejected%n", id, outcome.acceptedSamples().size(), outcome.rejected().size());
                accepted += outcome.acceptedSamples().size();
                rejected += outcome.rejected().size();
            }
        }
        out.printf("%d images enrolled, %d rejected, %d identities, topic %s%n", accepted, rejected, byIdentity.size(),
                settings.topics().enrollment());
        return accepted > 0 ? 0 : 1;
    }
}
