package org.arcstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.embedder.gallery.EnrollCommand;
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
                entry("enroll", args -> CommandLines.run(new EnrollCommand(), args), "Usage: arcstream enroll"),
                // the service: 0 and nothing started when the arguments ask for help
                entry("embedder", args -> EmbedderApplication.arguments(args, System.out).isEmpty() ? 0 : -1, "Usage: arcstream embedder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void helpPrintsTheUsageOnStdoutAndNothingElse(ToIntFunction<String[]> main, String usage) {
        for (String flag : new String[] {"--help", "-h"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            PrintStream originalOut = System.out, originalErr = System.err;
            int exit;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = main.applyAsInt(new String[] {flag});
            } finally {
                System.setOut(originalOut);
                System.setErr(originalErr);
            }
            assertEquals("", err.toString(StandardCharsets.UTF_8), "stderr of " + flag);
            assertEquals(0, exit, flag);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith(usage), printed);
            assertTrue(printed.contains("--help"), printed);
        }
    }
}
