package org.arcstream.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code ./arcstream}: the recognition commands of the core library. */
@Command(
        name = "arcstream",
        mixinStandardHelpOptions = true,
        version = ArcstreamCli.VERSION,
        description = "Face recognition from the command line.",
        // these run in the service modules; the launcher script routes them there
        footer = {"", "Streaming and training commands (each takes --help):",
                "  demo                 broker, ingest, embedder, matcher and admin API in one process",
                "  ingest               publish camera frames (images, video, RTSP, MJPEG) to a cluster",
                "  enroll               enroll a folder-per-identity gallery through the enrollment topic",
                "  embedder             run the embedder and matcher stream against a cluster",
                "  trainer              run the trainer service: scheduled and on-demand fine-tuning",
                "  stream-benchmark     streaming rate and latency against the raw pipeline rate",
                "  train                fine-tune the embedding model with ArcFace and publish it if better",
                "  experiment           softmax vs ArcFace on Fashion-MNIST",
                "  finetune-experiment  fine-tuning on CCTV-like degraded faces, before and after",
                "  train-benchmark      fine-tuning throughput",
                "", "Exit codes: 0 done, 1 failed (or some inputs could not be read), 2 usage error."},
        subcommands = {EmbedCommand.class, VerifyCommand.class, EvalCommand.class, BenchmarkCommand.class, MatchBenchmarkCommand.class,
                ModelsCommand.class,
                CommandLine.HelpCommand.class})
public final class ArcstreamCli implements Callable<Integer> {

    static final String VERSION = CommandLines.VERSION;

    @Spec
    CommandSpec spec;

    /** Without a command: the usage on stderr, a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLines.USAGE;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests to avoid exiting the JVM). */
    public static int run(String... args) {
        return CommandLines.run(new ArcstreamCli(), args);
    }
}
