package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CommandLinesTest {

    @Command(name = "probe", mixinStandardHelpOptions = true)
    static final class Probe implements Callable<Integer> {

        @Option(names = "--throw")
        String kind = "none";

        @Override
        public Integer call() throws Exception {
            switch (kind) {
                case "user" -> throw new IllegalArgumentException("/data/x.onnx: not a valid ONNX model");
                case "wrapped" -> throw new IllegalStateException(new IOException("disk full"));
                case "bug" -> throw new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null");
                default -> {
                    return 0;
                }
            }
        }
    }

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int exit = CommandLines.create(new Probe()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void aFailureIsOneLineNamingTheCommandWithExitCode1() {
        Run user = run("--throw", "user");
        assertEquals(1, user.exit());
        assertEquals("arcstream probe: /data/x.onnx: not a valid ONNX model", user.err().strip());
        Run wrapped = run("--throw", "wrapped");
        assertEquals(1, wrapped.exit());
        assertEquals("arcstream probe: disk full", wrapped.err().strip());
    }

    @Test
    void aBugKeepsItsStackTrace() {
        Run bug = run("--throw", "bug");
        assertEquals(1, bug.exit());
        assertTrue(bug.err().startsWith("arcstream probe: internal error: java.lang.NullPointerException"), bug.err());
        assertTrue(bug.err().contains("\tat "), bug.err());
    }

    @Test
    void aUsageErrorIsOneLineWithExitCode2() {
        Run r = run("--thrw");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("arcstream probe: Unknown option: '--thrw' (did you mean --throw?)"), r.err());
        assertTrue(r.err().strip().endsWith("(see 'arcstream probe --help')"), r.err());
        assertFalse(r.err().contains("Usage:"), r.err());
    }
}
