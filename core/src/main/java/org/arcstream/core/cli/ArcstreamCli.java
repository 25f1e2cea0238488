package org.arcstream.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./arcstream}: the recognition commands of the core library. */
@Command(
        name = "arcstream",
        mixinStandardHelpOptions = true,
        version = "arcstream 0.1.0",
        description = "Face recognition from the command line.",
        // these run in the service modules; the launcher script routes them there
        footer = {"", "Streaming and training commands (each takes --help):",
                "  demo                 broker, ingest, embedder, matcher and admin API in one process",
                "  ingest               publish camera frames (images, video, RTSP, MJPEG) to a cluster",
                "  enroll               enroll a folder-per-identity gallery through the enrollment topic",
                "  embedder             run the embedder and matcher stream against a cluster",
                "  stream-benchmark     streaming rate and latency against the raw pipeline rate",
                "  train                fine-tune the embedding model with ArcFace and publish it if better",
                "  experiment           softmax vs ArcFace on Fashion-MNIST",
                "  finetune-experiment  fine-tuning on CCTV-like degraded faces, before and after",
                "  train-benchmark      fine-tuning throughput"},
        subcommands = {EmbedCommand.class, VerifyCommand.class, EvalCommand.class, BenchmarkCommand.class, ModelsCommand.class,
                CommandLine.HelpCommand.class})
public final class ArcstreamCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests to avoid exiting the JVM). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ArcstreamCli());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 2;
        });
        return cli.execute(args);
    }
}
