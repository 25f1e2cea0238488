package org.arcstream.core.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every arcstream command runs, so that they all behave alike:
 *
 * <ul>
 *   <li>{@code --help} prints the usage on stdout and exits 0, whatever else is missing;
 *   <li>a usage error (unknown or missing option, bad value, a named file or folder that does not
 *       exist) is one line on stderr ending in a pointer to {@code --help}, exit code {@value #USAGE};
 *   <li>a failure while running is one line on stderr, {@code arcstream COMMAND: message}, exit code
 *       {@value #FAILURE}; no stack trace unless the environment variable {@code ARCSTREAM_DEBUG} is set,
 *       or the failure is a bug (no message, a null pointer, an index out of bounds, ...).
 * </ul>
 * The exit codes below are the only ones a command returns; README.md ("Exit codes") lists them.
 */
public final class CommandLines {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The command ran and failed, or did only part of its work (e.g. some images could not be read). */
    public static final int FAILURE = 1;
    /** The command line is wrong: nothing was done. */
    public static final int USAGE = 2;
    /** {@code train}: the run finished and the gate rejected the new model, so nothing was published. */
    public static final int GATE_REJECTED = 3;

    /** What {@code --version} prints. */
    public static final String VERSION = "arcstream 0.1.0";

    private CommandLines() {}

    /** Runs {@code command} with {@code args} and returns its exit code. */
    public static int run(Object command, String... args) {
        return create(command).execute(args);
    }

    /**
     * A command line for {@code command} with the handlers above; a top-level command is named
     * {@code arcstream NAME}, as it is typed, and prints {@link #VERSION} unless it has a version of its own.
     */
    public static CommandLine create(Object command) {
        CommandLine line = new CommandLine(command);
        String name = line.getCommandName();
        if (!name.startsWith("arcstream") && !name.startsWith("<")) {
            line.setCommandName("arcstream " + name);
        }
        if (line.getCommandSpec().version().length == 0) {
            line.getCommandSpec().version(VERSION);
        }
        line.setParameterExceptionHandler(CommandLines::usageError);
        line.setExecutionExceptionHandler((e, failed, parsed) -> failure(e, failed));
        return line;
    }

    /** What a path on the command line must be. */
    public enum PathKind { FILE, FOLDER, FILE_OR_FOLDER }

    /**
     * Checks that a path given on the command line exists and is of the kind asked; a usage error naming
     * the option (may be null for a positional parameter) and the path otherwise. Null paths pass.
     */
    public static void requireExisting(CommandSpec spec, Path path, String option, PathKind kind) {
        if (path == null) {
            return;
        }
        String what = option == null ? "" : option + ": ";
        if (!Files.exists(path)) {
            String noun = switch (kind) {
                case FILE -> "file";
                case FOLDER -> "folder";
                case FILE_OR_FOLDER -> "file or folder";
            };
            throw new ParameterException(spec.commandLine(), what + noun + " not found: " + path);
        }
        if (kind == PathKind.FOLDER && !Files.isDirectory(path)) {
            throw new ParameterException(spec.commandLine(), what + "not a folder: " + path);
        }
        if (kind == PathKind.FILE && Files.isDirectory(path)) {
            throw new ParameterException(spec.commandLine(), what + "a folder, not a file: " + path);
        }
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        String message = e.getMessage() == null ? "invalid command line" : e.getMessage();
        if (message.startsWith("Error: ")) {
            message = message.substring("Error: ".length()); // picocli's wording for argument groups
        }
        StringBuilder line = new StringBuilder(failed.getCommandSpec().qualifiedName()).append(": ").append(message);
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
            }
        }
        line.append(" (see '").append(failed.getCommandSpec().qualifiedName()).append(" --help')");
        err.println(line);
        err.flush();
        return failed.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failure(Exception e, CommandLine failed) {
        PrintWriter err = failed.getErr();
        String message = isBug(e) ? null : message(e);
        err.println(failed.getCommandSpec().qualifiedName() + ": " + (message != null ? message : "internal error: " + e));
        if (message == null || System.getenv("ARCSTREAM_DEBUG") != null) {
            e.printStackTrace(err); // a bug: the trace is what a report needs
        }
        err.flush();
        return FAILURE;
    }

    /** Exceptions that mean a programming error rather than a problem with the input or the environment. */
    private static boolean isBug(Throwable e) {
        return e instanceof NullPointerException || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException
                || e instanceof ArithmeticException || e instanceof ArrayStoreException || e instanceof IllegalMonitorStateException;
    }

    /** The message of a failure for people: the first non-empty message, skipping wrappers that only repeat their cause. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank() || (t.getCause() != null && m.equals(t.getCause().toString()))) {
                continue;
            }
            return oneLine(m);
        }
        return null;
    }

    private static String oneLine(String m) {
        String first = m.strip().lines().findFirst().orElse("");
        return first.length() > 500 ? first.substring(0, 500) + "..." : first;
    }
}
