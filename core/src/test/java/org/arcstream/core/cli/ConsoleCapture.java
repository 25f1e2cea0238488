package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/** Runs an entry point in this JVM with stdout and stderr captured; shared by every module's command tests. */
public final class ConsoleCapture {

    /** What a run printed and returned. */
    public record Run(int exit, String out, String err) {}

    private ConsoleCapture() {}

    public static Run run(ToIntFunction<String[]> main, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = main.applyAsInt(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code --help} and {@code -h}: the usage on stdout, naming {@code option}, nothing on stderr, exit 0. */
    public static void assertHelpPrintsUsageOnly(ToIntFunction<String[]> main, String usage, String option) {
        for (String flag : new String[] {"--help", "-h"}) {
            Run r = run(main, flag);
            assertEquals("", r.err(), "stderr of " + flag);
            assertEquals(0, r.exit(), flag);
            assertTrue(r.out().startsWith(usage), r.out());
            assertTrue(r.out().contains(option), r.out());
        }
    }
}
