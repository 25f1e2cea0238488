package org.arcstream.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command line in a separate JVM, as a user would, and captures what it prints. */
record CliProcess(int exitCode, String stdout, String stderr) {

    static CliProcess run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a small heap: a decompression bomb or a leak would show as an OutOfMemoryError here
        command.add("-Xmx384m");
        command.addAll(launcherJvmOptions());
        command.add(ArcstreamCli.class.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // not -cp: ONNX Runtime's start recurses natively with the length of the command line
            builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("command did not finish: " + String.join(" ", args));
            }
            return new CliProcess(process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The JVM options the {@code arcstream} launcher at the repository root starts every command with. */
    static List<String> launcherJvmOptions() throws IOException {
        String prefix = "jvm_options=(";
        String line = Files.readAllLines(Path.of("..", "arcstream")).stream().map(String::strip)
                .filter(l -> l.startsWith(prefix) && l.endsWith(")")).findFirst()
                .orElseThrow(() -> new AssertionError("the launcher defines no " + prefix + "...)"));
        return List.of(line.substring(prefix.length(), line.length() - 1).strip().split("\\s+"));
    }

    List<String> lines() {
        return stdout.lines().filter(l -> !l.isBlank()).toList();
    }
}
