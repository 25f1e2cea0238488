package org.arcstream.trainer.cli;

import org.arcstream.core.cli.CommandLines;

/**
 * Runs a command the way every arcstream command runs ({@link CommandLines}): {@code --help} on stdout with
 * exit code 0, usage errors in one line with exit code 2, failures in one line with exit code 1.
 */
final class Commands {

    private Commands() {}

    static int run(Object command, String[] args) {
        return CommandLines.run(command, args);
    }
}
