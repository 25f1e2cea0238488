package org.arcstream.demo;


import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.ConsoleCapture;
import org.arcstream.demo.bench.StreamBenchmarkCommand;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} on every entry point of the module, parsed as its {@code main} parses it: the usage on
 * stdout, nothing on stderr, exit code 0, even where required options are missing; no broker, stream or
 * service is started.
 */
class CommandHelpTest {

    private static Arguments entry(String name, ToIntFunction<String[]> main, String usage) {
        return Arguments.of(Named.of(name, main), usage);
    }

    static Stream<Arguments> entryPoints() {
        return Stream.of(
                entry("stream-benchmark", args -> CommandLines.run(new StreamBenchmarkCommand(), args), "Usage: arcstream stream-benchmark"),
                // as DemoCommand.main runs it
                entry("demo", args -> new CommandLine(new DemoCommand()).execute(args), "Usage: demo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void helpPrintsTheUsageOnStdoutAndNothingElse(ToIntFunction<String[]> main, String usage) {
        ConsoleCapture.assertHelpPrintsUsageOnly(main, usage, "--help");
    }
}
