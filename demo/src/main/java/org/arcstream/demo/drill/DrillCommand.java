package org.arcstream.demo.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.files.FileTrees;
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
                "Exit code: 0 every drill lost and duplicated nothing and every embedder ran to the end; 1 otherwise; 2 usage error."})
public final class DrillCommand implements Callable<Integer> {

    static final List<String> DRILLS = DrillRun.ALL;

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

    @Option(names = "--keep-logs", description = "keep the processes' logs and data (always kept when a drill fails)")
    boolean keepLogs;

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
        if (frames < 3) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frames must be at least 3, got " + frames);
        }
        DrillRun run = new DrillRun(new DrillRun.Settings(source, frames, fps, Duration.ofSeconds(taskTimeoutSeconds)));
        Path work = Files.createTempDirectory("arcstream-drill-");
        boolean keep = keepLogs;
        try {
            List<DrillRun.Outcome> outcomes = new ArrayList<>();
            for (String drill : chosen) {
                spec.commandLine().getErr().println("arcstream drill: " + drill + " ...");
                spec.commandLine().getErr().flush();
                DrillRun.Outcome outcome = run.run(drill, work.resolve(drill));
                if (json) {
                    // the table carries the notes otherwise
                    outcome.note().ifPresent(n -> spec.commandLine().getErr().println("arcstream drill: " + n));
                }
                outcomes.add(outcome);
            }
            print(spec.commandLine().getOut(), outcomes);
            boolean passed = outcomes.stream().allMatch(DrillRun.Outcome::passed);
            keep |= !passed;
            return passed ? 0 : 1;
        } catch (Exception | Error e) {
            keep = true;
            throw e;
        } finally {
            if (keep) {
                // the processes' logs tell what went wrong
                spec.commandLine().getErr().println("arcstream drill: logs kept in " + work);
            } else {
                FileTrees.delete(work);
            }
        }
    }

    private void print(PrintWriter out, List<DrillRun.Outcome> outcomes) throws IOException {
        List<DrillResult> results = outcomes.stream().map(DrillRun.Outcome::result).toList();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(Map.of("drills", results)));
        } else {
            out.printf("%-30s %11s %12s %5s %10s %14s%n", "drill", "frames sent", "matched once", "lost", "duplicated", "recovered in (s)");
            for (DrillResult r : results) {
                out.printf("%-30s %11d %12d %5d %10d %14s%n", r.name(), r.framesSent(), r.matchedOnce(), r.lost(), r.duplicated(),
                        r.recoveredSeconds() == null ? "-" : String.format("%.1f", r.recoveredSeconds()));
            }
            outcomes.forEach(o -> o.note().ifPresent(out::println));
        }
        out.flush();
    }
}
