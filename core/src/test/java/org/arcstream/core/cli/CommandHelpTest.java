package org.arcstream.core.cli;

import org.arcstream.core.cli.ConsoleCapture.Run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --help} on every command of the core command line, run through the same entry point as
 * {@code main}: the usage on stdout, nothing on stderr, exit code 0, even where required options or
 * parameters are missing. Nothing is loaded or run.
 */
class CommandHelpTest {

    static Run run(String... args) {
        return ConsoleCapture.run(ArcstreamCli::run, args);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "'', --help", "embed, --help", "verify, --help", "eval, --help", "benchmark, --help", "models, --help",
        "embed, -h", "eval, -h", "help, embed"})
    void helpPrintsTheUsageOnStdoutAndNothingElse(String command, String flag) {
        Run r = command.isEmpty() ? run(flag) : run(command, flag);
        assertEquals("", r.err(), "stderr");
        assertEquals(0, r.exit(), r.out());
        String name = command.isEmpty() ? "arcstream" : "arcstream " + (command.equals("help") ? flag : command);
        assertTrue(r.out().startsWith("Usage: " + name), r.out());
        assertTrue(r.out().contains("--help"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"embed", "verify", "eval", "benchmark"})
    void aMissingRequiredArgumentIsOneLineOnStderrAndExitCode2(String command) {
        Run r = run(command);
        assertEquals(CommandLines.USAGE, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("arcstream " + command + ": Missing required"), r.err());
        assertTrue(r.err().contains("'arcstream " + command + " --help'"), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'embed,/no/such/image.jpg', 'arcstream embed: file or folder not found: /no/such/image.jpg'",
        "'eval,--gallery,/no/such/folder', 'arcstream eval: --gallery: folder not found: /no/such/folder'",
        "'eval,--pairs,/no/such.csv', 'arcstream eval: --pairs: file not found: /no/such.csv'",
        "'verify,/no/a.jpg,/no/b.jpg', 'arcstream verify: file not found: /no/a.jpg'",
        "'models,--config,/no/such.properties', 'arcstream models: --config: file not found: /no/such.properties'"})
    void aPathThatDoesNotExistIsAUsageErrorNamingIt(String args, String message) {
        Run r = run(args.split(","));
        assertEquals(CommandLines.USAGE, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith(message), r.err());
    }

    @org.junit.jupiter.api.Test
    void withoutACommandTheUsageGoesToStderrAsAUsageError() {
        Run r = run();
        assertEquals(CommandLines.USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: arcstream"), r.err());
    }
}
