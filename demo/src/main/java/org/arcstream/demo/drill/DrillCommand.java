package org.arcstream.demo.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.embedder.stream.EmbedderTopics;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.KafkaClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arcstream drill}: faults injected into a running pipeline, on the in-process broker, with the
 * embedder and ingest as separate processes, and what a read_committed reader saw of every frame sent.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs fault drills against the in-process broker with the embedder and ingest as separate processes,",
                "and prints per drill: frames sent, matched once, lost, duplicated, recovered in (s).",
                "Exit code: 0 every drill lost and duplicated nothing; 1 otherwise; 2 usage error."})
public final class DrillCommand implements Callable<Integer> {

    static final List<String> DRILLS = List.of("sigkill-embedder", "broker-restart", "broker-outage-beyond-timeout");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", defaultValue = "../shared/data/lfw10", paramLabel = "DIR", description = "image folder streamed as a file camera (default: ${DEFAULT-VALUE})")
    Path source;

    @Option(names = "--frames", defaultValue = "60", description = "frames per drill (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--fps", defaultValue = "4", description = "offered frame rate (default: ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--drill", split = ",", paramLabel = "NAME", description = "drills to run (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    List<String> drills;

    @Option(names = "--task-timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "the embedder's task.timeout.ms in the outage drill, shortened from 5 minutes so that the drill is short (default: ${DEFAULT-VALUE})")
    int taskTimeoutSeconds;

    @Option(names = "--json", description = "print {\"drills\": [...]} as one JSON object")
    boolean json;

    static final class Names extends ArrayList<String> {
        Names() {
            super(DRILLS);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DrillCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = drills == null || drills.isEmpty() ? DRILLS : drills;
        for (String d : chosen) {
            if (!DRILLS.contains(d)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown drill '" + d + "' (known: " + DRILLS + ")");
            }
        }
        if (!Files.isDirectory(source)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--source " + source + ": no such folder");
        }
        Path work = Files.createTempDirectory("arcstream-drill-");
        try {
            Path frameDir = frameFolder(work.resolve("frames"));
            List<DrillResult> results = new ArrayList<>();
            for (String drill : chosen) {
                spec.commandLine().getErr().println("arcstream drill: " + drill + " ...");
                spec.commandLine().getErr().flush();
                results.add(run(drill, frameDir, work.resolve(drill)));
            }
            print(spec.commandLine().getOut(), results);
            return results.stream().allMatch(r -> r.lost() == 0 && r.duplicated() == 0) ? 0 : 1;
        } finally {
            FileTrees.delete(work);
        }
    }

    /** {@code --frames} images of the source, copied under numbered names so that a file source reads them in order. */
    private Path frameFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> images;
        try (Stream<Path> walk = Files.walk(source)) {
            images = walk.filter(Files::isRegularFile).filter(ImageFiles::looksLikeImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--source " + source + ": no images");
        }
        for (int i = 0; i < frames; i++) {
            Path image = images.get(i % images.size());
            String name = image.getFileName().toString();
            Files.copy(image, dir.resolve(String.format("%05d%s", i, name.substring(name.lastIndexOf('.')))));
        }
        return dir;
    }

    private DrillResult run(String drill, Path frameDir, Path dir) throws Exception {
        Files.createDirectories(dir);
        String camera = "drill-" + drill;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), false)) {
            String bootstrap = broker.bootstrapServers();
            EmbedderTopics.ensure(KafkaClientConfig.of(bootstrap), TopicNames.defaults());
            Duration taskTimeout = drill.equals("broker-outage-beyond-timeout") ? Duration.ofSeconds(taskTimeoutSeconds) : Duration.ofMinutes(5);
            ServiceProcess embedder = embedder(bootstrap, dir, 1, taskTimeout);
            // frames start once the embedder serves, so that the fault meets a stream in full flow
            embedder.awaitOutput("Startup completed", Duration.ofMinutes(3));
            try (Verdicts verdicts = new Verdicts(bootstrap, camera);
                    ServiceProcess ingest = ServiceProcess.start("org.arcstream.ingest.IngestCommand",
                            List.of("--bootstrap-servers", bootstrap, "--camera", camera, "--source", frameDir.toString(),
                                    "--fps", Double.toString(fps), "--json"), Map.of(), dir.resolve("ingest.log"))) {
                // the fault strikes mid-stream: once a third of the frames have their verdict
                long deadline = System.currentTimeMillis() + 300_000;
                while (verdicts.framesWithVerdict() < frames / 3 && System.currentTimeMillis() < deadline) {
                    verdicts.poll(Duration.ofMillis(100));
                }
                long fault;
                switch (drill) {
                    case "sigkill-embedder" -> {
                        fault = System.currentTimeMillis();
                        embedder.kill();
                        // the orchestrator starts a replacement, with fresh local state as a new pod has
                        embedder = embedder(bootstrap, dir, 2, taskTimeout);
                    }
                    case "broker-restart" -> {
                        broker.stop();
                        Thread.sleep(5_000);
                        broker.restart();
                        fault = System.currentTimeMillis();
                    }
                    default -> {
                        broker.stop();
                        // several task timeouts: the stream threads give up on the cluster and are replaced
                        Thread.sleep(taskTimeout.toMillis() * 3);
                        broker.restart();
                        fault = System.currentTimeMillis();
                    }
                }
                int exit = ingest.waitFor(600);
                long sent = sentFrames(ingest.output());
                if (exit != 0) {
                    spec.commandLine().getErr().println("arcstream drill: " + drill + ": ingest ended with exit code " + exit);
                }
                verdicts.awaitAll(sent, Duration.ofMinutes(3));
                OptionalLong recovered = verdicts.recoveredMillis(fault);
                return verdicts.result(drill, sent, recovered);
            } finally {
                embedder.close();
            }
        }
    }

    private static ServiceProcess embedder(String bootstrap, Path dir, int generation, Duration taskTimeout) throws IOException {
        Map<String, String> env = new HashMap<>();
        // dev: a random admin password (logged once to the drill's log file) and no fixed port
        env.put("MICRONAUT_ENVIRONMENTS", "dev");
        env.put("MICRONAUT_SERVER_PORT", "-1");
        env.put("EMBEDDER_KAFKA_STATE_DIR", dir.resolve("embedder-state-" + generation).toString());
        env.put("EMBEDDER_KAFKA_TASK_TIMEOUT", taskTimeout.toSeconds() + "s");
        return ServiceProcess.start("org.arcstream.embedder.EmbedderApplication", List.of("--bootstrap-servers", bootstrap), env,
                dir.resolve("embedder-" + generation + ".log"));
    }

    private static long sentFrames(List<String> ingestOutput) throws IOException {
        for (int i = ingestOutput.size() - 1; i >= 0; i--) {
            String line = ingestOutput.get(i).trim();
            if (line.startsWith("{") && line.contains("\"sent\"")) {
                return new ObjectMapper().readTree(line).get("sent").asLong();
            }
        }
        throw new IllegalStateException("ingest printed no counts");
    }

    private void print(PrintWriter out, List<DrillResult> results) throws IOException {
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(Map.of("drills", results)));
        } else {
            out.printf("%-30s %11s %12s %5s %10s %14s%n", "drill", "frames sent", "matched once", "lost", "duplicated", "recovered in (s)");
            for (DrillResult r : results) {
                out.printf("%-30s %11d %12d %5d %10d %14s%n", r.name(), r.framesSent(), r.matchedOnce(), r.lost(), r.duplicated(),
                        r.recoveredSeconds() == null ? "-" : String.format("%.1f", r.recoveredSeconds()));
            }
            if (results.stream().anyMatch(r -> r.name().equals("broker-outage-beyond-timeout"))) {
                out.printf("broker-outage-beyond-timeout: the embedder's task.timeout.ms shortened to %d s (5 minutes as shipped); "
                        + "the broker is down for %d s%n", taskTimeoutSeconds, taskTimeoutSeconds * 3);
            }
        }
        out.flush();
    }
}
