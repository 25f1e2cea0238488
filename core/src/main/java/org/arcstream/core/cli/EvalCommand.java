package org.arcstream.core.cli;

import picocli.CommandLine.Command;

@Command(name = "eval")
final class EvalCommand implements Runnable { public void run() {} }
