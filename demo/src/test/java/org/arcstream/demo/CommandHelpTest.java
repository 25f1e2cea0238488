package org.arcstream.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.ConsoleCapture;
import org.arcstream.demo.bench.StreamBenchmarkCommand;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
                entry("demo", args -> CommandLines.run(new DemoCommand(), args), "Usage: arcstream demo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void helpPrintsTheUsageOnStdoutAndNothingElse(ToIntFunction<String[]> main, String usage) {
        ConsoleCapture.assertHelpPrintsUsageOnly(main, usage, "--help");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void aGalleryThatDoesNotExistIsAUsageErrorInOneLineAndStartsNothing(ToIntFunction<String[]> main, String usage) {
        ConsoleCapture.Run r = ConsoleCapture.run(main, "--gallery", "/no/such/gallery", "--source", "/no/such/source");
        String printed = r.err();
        assertEquals(CommandLines.USAGE, r.exit(), printed);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.startsWith(usage.substring("Usage: ".length()) + ": --gallery: folder not found: /no/such/gallery"), printed);
    }
}
