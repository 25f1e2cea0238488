package org.arcstream.core.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code ./arcstream}: the recognition commands of the core library. */
@Command(
        name = "arcstream",
        mixinStandardHelpOptions = true,
        version = ArcstreamCli.VERSION,
        description = "Face recognition from the command line.",
        subcommands = {EmbedCommand.class, VerifyCommand.class, EvalCommand.class, BenchmarkCommand.class, ModelsCommand.class,
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
        CommandLine line = CommandLines.create(new ArcstreamCli());
        line.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, ArcstreamCli::footer);
        return line.execute(args);
    }

    /** The commands the launcher routes to the service modules (each takes --help), laid out like picocli's own list, and the exit codes. */
    private static String footer(Help help) {
        List<RoutedCommands.Entry> entries = RoutedCommands.all();
        int nameWidth = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0) + 4;
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(help.colorScheme(), new Column(nameWidth, 2, Column.Overflow.SPAN),
                new Column(width - nameWidth, 1, Column.Overflow.WRAP));
        entries.forEach(e -> table.addRowValues(e.name(), e.description()));
        return String.join(System.lineSeparator(), "", "Streaming and training commands (each takes --help):", table.toString(),
                "Exit codes: " + CommandLines.OK + " done, " + CommandLines.FAILURE + " failed (or some inputs could not be read), "
                        + CommandLines.USAGE + " usage error,",
                "  " + CommandLines.GATE_REJECTED + " train: the gate rejected the model.", "");
    }
}
