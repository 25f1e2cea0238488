package org.arcstream.trainer.cli;

import picocli.CommandLine;

/** Runs a command the way every trainer command runs: failures end in one clear line on stderr, exit code 1. */
final class Commands {

    private Commands() {}

    static int run(Object command, String[] args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println(cl.getCommandName() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return line.execute(args);
    }
}
