package org.arcstream.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.arcstream.core.cli.CommandLines;

/** A command run in this JVM as its {@code main} runs it: its exit code and the lines it printed on standard output. */
public record CommandRun(int exit, List<String> lines) {

    public static CommandRun of(Object command, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = CommandLines.create(command).execute(args); // as the commands' main runs them
        } finally {
            System.setOut(original);
        }
        return new CommandRun(exit, captured.toString(StandardCharsets.UTF_8).lines().toList());
    }

    public String output() {
        return String.join("\n", lines);
    }

    public String lastLine() {
        return lines.get(lines.size() - 1);
    }
}
