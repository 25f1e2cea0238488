package org.arcstream.demo.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** An arcstream service or command in a JVM of its own, started with this JVM's java and class path; output to a log file. */
final class ServiceProcess implements AutoCloseable {

    private static final List<String> SERVICE_MODULES = List.of("ingest", "embedder", "trainer");
    private static final Pattern SERVER_RUNNING = Pattern.compile("Server Running: (http://\\S+)");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
        return start(List.of(), mainClass, args, env, log);
    }

    /** @param jvmOptions options of the JVM itself, before the class path (e.g. {@code -Xmx256m}) */
    static ServiceProcess start(List<String> jvmOptions, String mainClass, List<String> args, Map<String, String> env, Path log)
            throws IOException {
        return start(jvmOptions, serviceClassPath(mainClass), mainClass, args, env, log);
    }

    /**
     * As {@link #start}, on the class path given: e.g. a service's packaged jar and its {@code lib} folder, which is
     * what its image ships.
     */
    static ServiceProcess start(String classPath, String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
        return start(List.of(), classPath, mainClass, args, env, log);
    }

    private static ServiceProcess start(List<String> jvmOptions, String classPath, String mainClass, List<String> args,
            Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // as the launcher runs commands: ONNX Runtime sets its sessions up on a deep native stack
        command.add("-Xss4m");
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        // not -cp: creating ONNX Runtime's environment recurses natively with the length of the process's command
        // line, and a test class path of tens of kilobytes overflows the thread's stack (SIGSEGV, no crash log)
        builder.environment().put("CLASSPATH", classPath);
        return new ServiceProcess(builder.start(), log);
    }

    /**
     * This JVM's class path without the other service modules: a service never has another service on its class
     * path in its image, and Micronaut would otherwise see both services' beans (two Kafka client configurations).
     */
    static String serviceClassPath(String mainClass) {
        List<String> others = SERVICE_MODULES.stream().filter(m -> !mainClass.startsWith("org.arcstream." + m + ".")).toList();
        String separator = System.getProperty("path.separator");
        return Arrays.stream(System.getProperty("java.class.path").split(Pattern.quote(separator)))
                .filter(entry -> others.stream().noneMatch(m -> belongsTo(entry, m)))
                .collect(Collectors.joining(separator));
    }

    private static boolean belongsTo(String classPathEntry, String module) {
        String path = classPathEntry.replace('\\', '/');
        return path.contains("/" + module + "/target/") || path.contains("/arcstream-" + module + "-") || path.endsWith("/arcstream-" + module + ".jar");
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the end and returns the exit code. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process did not end within " + seconds + " s; see " + log);
        }
        return process.exitValue();
    }

    /** Waits until a line of the output contains {@code text}; fails when the process ends first or the timeout passes. */
    void awaitOutput(String text, java.time.Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output().stream().noneMatch(line -> line.contains(text))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("no '" + text + "' from the process; see " + log);
            }
            Thread.sleep(200);
        }
    }

    List<String> output() throws IOException {
        // a process may be cut off mid-character (SIGKILL): read leniently
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    }

    /** The URL a Micronaut service logged in its "Server Running: URL" line. */
    String serverUrl() throws IOException {
        for (String line : output()) {
            Matcher m = SERVER_RUNNING.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("the service logged no URL; see " + log);
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
