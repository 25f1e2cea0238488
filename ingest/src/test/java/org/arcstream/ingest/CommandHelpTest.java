package org.arcstream.ingest;


import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.ConsoleCapture;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --help} on every entry point of the module, parsed as its {@code main} parses it: the usage on
 * stdout, nothing on stderr, exit code 0, and no service or publisher started.
 */
class CommandHelpTest {

    static Stream<Arguments> entryPoints() {
        return Stream.of(
                Arguments.of(Named.of("ingest", (ToIntFunction<String[]>) args -> CommandLines.run(new IngestCommand(), args)),
                        "Usage: arcstream ingest"),
                // the service: 0 and nothing started when the arguments ask for help
                Arguments.of(Named.of("ingest service", (ToIntFunction<String[]>) args ->
                        IngestApplication.arguments(args, System.out).isEmpty() ? 0 : -1), "Usage: org.arcstream.ingest.IngestApplication"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void helpPrintsTheUsageOnStdoutAndNothingElse(ToIntFunction<String[]> main, String usage) {
        ConsoleCapture.assertHelpPrintsUsageOnly(main, usage, "--bootstrap-servers");
    }
}
