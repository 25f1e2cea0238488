package org.arcstream.demo.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.arcstream.broker.EmbeddedKafkaBroker;

/**
 * One drill: a fresh broker with the shipped topics, the embedder service (two of them for
 * {@code sigkill-embedder}, as a fleet runs) and ingest as separate JVMs, the fault once a third of the frames
 * have their verdict, and what a read_committed reader saw of every frame sent.
 */
final class DrillRun {

    static final String SIGKILL_EMBEDDER = "sigkill-embedder";
    static final String BROKER_RESTART = "broker-restart";
    static final String BROKER_OUTAGE = "broker-outage-beyond-timeout";
    static final String LARGE_FRAMES = "large-frames";
    static final String POISON_RECORDS = "poison-records";
    static final List<String> ALL = List.of(SIGKILL_EMBEDDER, BROKER_RESTART, BROKER_OUTAGE, LARGE_FRAMES, POISON_RECORDS);

    /**
     * The broker looks for transactions past their timeout this often (Kafka's default: every 10 s). A killed
     * embedder's open transaction hides every later match of its partitions from read_committed readers until it
     * is aborted; deploy/strimzi/kafka.yaml ships the same value.
     */
    static final String ABORT_CHECK_INTERVAL_MS = "1000";

    /** Sizes of the face-less frames of {@code large-frames}: about 1.5 MB and 15 MB. */
    static final List<Integer> LARGE_FRAME_BYTES = List.of(1_500_000, 15_000_000);

    /** How long a drill waits for the stream to catch up with the camera before it strikes anyway. */
    static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** Frames without their verdict yet that still count as caught up: those in the embedder's current batch and commit. */
    static final int CAUGHT_UP_SLACK = 2;

    private static final String APPLICATION_ID = "arcstream-embedder";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** @param taskTimeout the embedder's task.timeout.ms in {@code broker-outage-beyond-timeout} */
    record Settings(Path source, int frames, double fps, Duration taskTimeout) {}

    /**
     * The figures of one drill, a line on what else it saw (dead letters, recovery parts), and whether every
     * embedder was still running and live at its end.
     */
    record Outcome(DrillResult result, Optional<String> note, boolean embeddersUp) {

        boolean passed() {
            return result.lost() == 0 && result.duplicated() == 0 && embeddersUp;
        }
    }

    private final Settings settings;
    /** In {@code sigkill-embedder}: when the group gave the killed owner's partition to another member. */
    private CompletableFuture<String> takeover;
    private final String adminPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

    DrillRun(Settings settings) {
        this.settings = settings;
    }

    Outcome run(String drill, Path dir) throws Exception {
        Files.createDirectories(dir);
        String camera = "drill-" + drill;
        Map<Integer, Integer> large = new HashMap<>();
        if (drill.equals(LARGE_FRAMES)) {
            for (int i = 0; i < LARGE_FRAME_BYTES.size(); i++) {
                // among the normal frames, after the stream is in full flow
                large.put((i + 1) * settings.frames() / (LARGE_FRAME_BYTES.size() + 1) + i, LARGE_FRAME_BYTES.get(i));
            }
        }
        Path frameDir = dir.resolve("frames");
        DrillFrames.write(settings.source(), frameDir, settings.frames(), large);
        List<String> notes = new ArrayList<>();
        Duration taskTimeout = drill.equals(BROKER_OUTAGE) ? settings.taskTimeout() : Duration.ofMinutes(5);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), false,
                Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", ABORT_CHECK_INTERVAL_MS));
                Admin admin = broker.admin()) {
            String bootstrap = broker.bootstrapServers();
            ShippedTopics.create(admin);
            List<ServiceProcess> embedders = new ArrayList<>();
            try {
                int instances = drill.equals(SIGKILL_EMBEDDER) ? 2 : 1;
                for (int i = 0; i < instances; i++) {
                    embedders.add(embedder(bootstrap, dir, i, 1, taskTimeout));
                }
                // frames start once the embedders serve and share the partitions, so the fault meets a stream in full flow
                for (ServiceProcess embedder : embedders) {
                    embedder.awaitOutput("Startup completed", Duration.ofMinutes(3));
                }
                awaitStableGroup(admin, instances);
                List<String> ingestArgs = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--camera", camera,
                        "--source", frameDir.toString(), "--fps", Double.toString(settings.fps()), "--json"));
                if (!large.isEmpty()) {
                    ingestArgs.addAll(List.of("--max-frame-bytes", Integer.toString(ShippedTopics.FRAMES_MAX_MESSAGE_BYTES - (64 << 10))));
                }
                try (Verdicts verdicts = new Verdicts(bootstrap, camera);
                        ServiceProcess ingest = ServiceProcess.start("org.arcstream.ingest.IngestCommand", ingestArgs, Map.of(),
                                dir.resolve("ingest.log"))) {
                    long deadline = System.currentTimeMillis() + 300_000;
                    while (verdicts.framesWithVerdict() < settings.frames() / 3 && System.currentTimeMillis() < deadline) {
                        verdicts.poll(Duration.ofMillis(100));
                    }
                    awaitCaughtUp(admin, verdicts, notes);
                    long fault = strike(drill, broker, admin, embedders, dir, taskTimeout, notes);
                    // verdicts are timed as they are read: keep reading while the camera still sends
                    long ingestDeadline = System.currentTimeMillis() + 600_000;
                    while (ingest.alive() && System.currentTimeMillis() < ingestDeadline) {
                        verdicts.poll(Duration.ofMillis(100));
                    }
                    int exit = ingest.waitFor(600);
                    long sent = sentFrames(ingest.output());
                    if (exit != 0) {
                        notes.add("ingest ended with exit code " + exit + "; see " + ingest.log());
                    }
                    verdicts.awaitAll(sent, Duration.ofMinutes(3));
                    // large frames are no fault in time: nothing to recover from
                    OptionalLong recovered = drill.equals(LARGE_FRAMES) ? OptionalLong.empty() : verdicts.recoveredMillis(fault);
                    DrillResult result = verdicts.result(drill, sent, Set.copyOf(large.keySet().stream().map(Integer::longValue).toList()),
                            recovered);
                    boolean up = describe(drill, verdicts, large, embedders, fault, notes);
                    return new Outcome(result, notes.isEmpty() ? Optional.empty() : Optional.of(drill + ": " + String.join("; ", notes)), up);
                }
            } finally {
                for (ServiceProcess embedder : embedders) {
                    embedder.close();
                }
            }
        }
    }

    /**
     * Waits (up to {@link #CATCH_UP}) until the stream has given a verdict on about every frame written so far, so that
     * the fault meets a stream that keeps up with the camera: <em>recovered in</em> then measures the recovery, not
     * frames that were already waiting before the fault. Notes how far behind it still was when it did not catch up
     * (the frame rate is more than the machine embeds).
     */
    private static void awaitCaughtUp(Admin admin, Verdicts verdicts, List<String> notes) throws Exception {
        long deadline = System.currentTimeMillis() + CATCH_UP.toMillis();
        long behind;
        do {
            verdicts.poll(Duration.ofMillis(100));
            behind = framesWritten(admin) - verdicts.framesWithVerdict();
        } while (behind > CAUGHT_UP_SLACK && System.currentTimeMillis() < deadline);
        if (behind > CAUGHT_UP_SLACK) {
            notes.add(behind + " frames written were still waiting for their verdict at the fault (the stream lagged behind the camera;"
                    + " recovered in includes working them off)");
        }
    }

    /** Frames the camera has written so far: the end offsets of the frames topic. */
    private static long framesWritten(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < framesPartitions(); p++) {
            latest.put(new TopicPartition("frames", p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
    }

    private static int framesPartitions() {
        return ShippedTopics.ALL.stream().filter(t -> t.name().equals("frames")).findFirst().orElseThrow().partitions();
    }

    /** Strikes the drill's fault and returns when it ended (the kill, or the broker being back), in epoch milliseconds. */
    private long strike(String drill, EmbeddedKafkaBroker broker, Admin admin, List<ServiceProcess> embedders, Path dir,
            Duration taskTimeout, List<String> notes) throws Exception {
        switch (drill) {
            case SIGKILL_EMBEDDER -> {
                // the instance that embeds the camera's frames: killing the idle one would show nothing
                Owner frames = ownerOfFrames(admin);
                int owner = frames.index();
                long fault = System.currentTimeMillis();
                embedders.get(owner).kill();
                takeover = watchTakeover(broker.bootstrapServers(), frames, fault);
                // the orchestrator restarts it under the same name and volume, as a StatefulSet does
                embedders.set(owner, embedder(broker.bootstrapServers(), dir, owner, 2, taskTimeout));
                notes.add("killed embedder-" + owner + ", which held the camera's partition; restarted under its id");
                return fault;
            }
            case BROKER_RESTART -> {
                broker.stop();
                Thread.sleep(5_000);
                broker.restart();
                return System.currentTimeMillis();
            }
            case BROKER_OUTAGE -> {
                broker.stop();
                // several task timeouts: the stream threads give up on the cluster and are replaced
                Thread.sleep(taskTimeout.toMillis() * 3);
                broker.restart();
                notes.add("the embedder's task.timeout.ms shortened to " + taskTimeout.toSeconds() + " s (5 minutes as shipped); the broker is down for "
                        + taskTimeout.toSeconds() * 3 + " s");
                return System.currentTimeMillis();
            }
            case POISON_RECORDS -> {
                long fault = System.currentTimeMillis();
                Map<String, Integer> sent = PoisonRecords.send(broker.bootstrapServers());
                notes.add("poison records sent " + sent);
                return fault;
            }
            default -> {
                // large-frames: the large frames are among the others; nothing else strikes
                return System.currentTimeMillis();
            }
        }
    }

    /** Adds what the drill saw besides its figures to {@code notes}; true when every embedder runs and is live. */
    private boolean describe(String drill, Verdicts verdicts, Map<Integer, Integer> large, List<ServiceProcess> embedders, long fault,
            List<String> notes) throws Exception {
        if (!large.isEmpty()) {
            List<String> each = new ArrayList<>();
            large.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> each.add(String.format("%.1f MB %s (%s)",
                    e.getValue() / 1e6, verdicts.deadLetteredOnce(e.getKey()) ? "dead-lettered once" : "NOT dead-lettered once",
                    verdicts.deadLetterPayload(e.getKey()))));
            notes.add("face-less frames " + String.join(", ", each) + ", not among frames sent and matched once");
        }
        if (!verdicts.otherDeadLetters().isEmpty()) {
            notes.add("dead letters of poison records by source " + verdicts.otherDeadLetters());
        }
        if (drill.equals(SIGKILL_EMBEDDER)) {
            if (takeover != null) {
                notes.add(takeover.get(3, TimeUnit.MINUTES));
            }
            for (ServiceProcess embedder : embedders) {
                startedAfter(embedder, fault).ifPresent(ms -> notes.add(String.format("the restarted embedder served %.1f s after the kill", ms / 1000.0)));
            }
        }
        boolean up = true;
        for (int i = 0; i < embedders.size(); i++) {
            ServiceProcess embedder = embedders.get(i);
            if (embedder.alive()) {
                // a restarted instance may still be starting while the other already delivered every frame
                embedder.awaitOutput("Startup completed", Duration.ofMinutes(3));
            }
            HttpResponse<String> liveness = embedder.alive() ? http(embedder, "/health/liveness", null) : null;
            if (liveness == null || liveness.statusCode() != 200) {
                notes.add("embedder-" + i + " is NOT running or not live; see " + embedder.log());
                up = false;
                continue;
            }
            JsonNode counters = counters(embedder);
            notes.add(String.format("embedder-%d live, counted %d dead-lettered and %d skipped", i,
                    counters.path("dead_lettered").asLong(), counters.path("skipped").asLong()));
        }
        return up;
    }

    /** Milliseconds from {@code fault} to the embedder's "Startup completed" line, when it started after it. */
    private static OptionalLong startedAfter(ServiceProcess embedder, long fault) throws IOException {
        for (String line : embedder.output()) {
            if (line.contains("Startup completed") && line.length() > 12) {
                LocalTime at = LocalTime.parse(line.substring(0, 12), LOG_TIME);
                LocalTime faultAt = LocalTime.ofInstant(java.time.Instant.ofEpochMilli(fault), java.time.ZoneId.systemDefault());
                long ms = Duration.between(faultAt, at).toMillis();
                return ms >= 0 ? OptionalLong.of(ms) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private ServiceProcess embedder(String bootstrap, Path dir, int instance, int generation, Duration taskTimeout) throws IOException {
        Map<String, String> env = new HashMap<>();
        // a password of this run only, never logged; any free port
        env.put("EMBEDDER_ADMIN_PASSWORD", adminPassword);
        env.put("MICRONAUT_SERVER_PORT", "-1");
        env.put("EMBEDDER_KAFKA_STATE_DIR", dir.resolve("embedder-" + instance + "-state").toString());
        env.put("EMBEDDER_KAFKA_TASK_TIMEOUT", taskTimeout.toSeconds() + "s");
        // static membership, as a StatefulSet's pod names give it: a restarted instance takes its partitions back at once
        env.put("EMBEDDER_KAFKA_INSTANCE_ID", "embedder-" + instance);
        return ServiceProcess.start("org.arcstream.embedder.EmbedderApplication", List.of("--bootstrap-servers", bootstrap), env,
                dir.resolve("embedder-" + instance + "-" + generation + ".log"));
    }

    /** Waits until every one of {@code instances} embedders is a member of the group with partitions of its own. */
    private static void awaitStableGroup(Admin admin, int instances) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(30, TimeUnit.SECONDS)
                    .get(APPLICATION_ID);
            if (group.groupState() == GroupState.STABLE && group.members().size() == instances
                    && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the embedders did not share the partitions within 2 minutes: " + group);
            }
            Thread.sleep(200);
        }
    }

    /** The embedder ("embedder-N") that holds the frames partition the camera writes to: its index and group member id. */
    record Owner(int index, String memberId, TopicPartition partition) {}

    /**
     * Watches, on a thread of its own (the verdicts are read meanwhile), for the group to give the killed owner's
     * partition to another member: the surviving instance, or the restarted one if it came back first. Completes
     * with a note saying which and when, or that it did not happen within two minutes.
     */
    private static CompletableFuture<String> watchTakeover(String bootstrap, Owner killed, long fault) {
        CompletableFuture<String> note = new CompletableFuture<>();
        Thread thread = new Thread(() -> note.complete(takeoverNote(bootstrap, killed, fault)), "drill-takeover-watch");
        thread.setDaemon(true);
        thread.start();
        return note;
    }

    private static String takeoverNote(String bootstrap, Owner killed, long fault) {
        try (Admin watcher = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = fault + 120_000;
            while (System.currentTimeMillis() < deadline) {
                ConsumerGroupDescription group = watcher.describeConsumerGroups(List.of(APPLICATION_ID)).all()
                        .get(30, TimeUnit.SECONDS).get(APPLICATION_ID);
                if (group.groupState() == GroupState.STABLE) {
                    for (MemberDescription member : group.members()) {
                        if (!member.consumerId().equals(killed.memberId()) && member.assignment().topicPartitions().contains(killed.partition())) {
                            return String.format("the group gave %s to %s %.1f s after the kill", killed.partition(),
                                    member.groupInstanceId().orElse(member.consumerId()), (System.currentTimeMillis() - fault) / 1000.0);
                        }
                    }
                }
                Thread.sleep(100);
            }
            return "the group did NOT give " + killed.partition() + " to another member within 2 minutes";
        } catch (Exception e) {
            return "the take-over was not watched: " + e;
        }
    }

    /** The embedder ("embedder-N") that holds the frames partition the camera writes to. */
    private static Owner ownerOfFrames(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        ShippedTopics.ALL.stream().filter(t -> t.name().equals("frames")).findFirst().ifPresent(t -> {
            for (int p = 0; p < t.partitions(); p++) {
                latest.put(new TopicPartition("frames", p), OffsetSpec.latest());
            }
        });
        TopicPartition written = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .filter(e -> e.getValue().offset() > 0).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no frames written yet"));
        for (MemberDescription member : admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(30, TimeUnit.SECONDS)
                .get(APPLICATION_ID).members()) {
            if (member.assignment().topicPartitions().contains(written) && member.groupInstanceId().isPresent()) {
                // Kafka Streams appends its thread's index: embedder-N-1
                String id = member.groupInstanceId().get().substring("embedder-".length());
                return new Owner(Integer.parseInt(id.substring(0, id.indexOf('-'))), member.consumerId(), written);
            }
        }
        throw new IllegalStateException("no embedder holds " + written);
    }

    private JsonNode counters(ServiceProcess embedder) throws Exception {
        HttpResponse<String> response = http(embedder, "/admin/counters", adminPassword);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /admin/counters answered " + response.statusCode());
        }
        return new ObjectMapper().readTree(response.body());
    }

    private static HttpResponse<String> http(ServiceProcess embedder, String path, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(embedder.serverUrl() + path)).timeout(Duration.ofSeconds(60));
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
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
}
