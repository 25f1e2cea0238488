package org.arcstream.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./arcstream}: the recognition commands of the core library. */
@Command(
        name = "arcstream",
        mixinStandardHelpOptions = true,
        version = "arcstream 0.1.0",
        description = "Face recognition from the command line.",
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
