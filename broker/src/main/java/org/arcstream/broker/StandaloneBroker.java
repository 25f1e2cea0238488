package org.arcstream.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.files.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The in-process broker in a JVM of its own, for tests that run every service as a separate process as a
 * cluster does: plaintext on 127.0.0.1, the bootstrap address printed and written to a file once the broker
 * answers, stopped by SIGTERM (or Ctrl-C). Not for production.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a single-node Kafka broker (KRaft, plaintext on 127.0.0.1) until it is stopped (SIGTERM, Ctrl-C). For tests.")
public final class StandaloneBroker implements Callable<Integer> {

    /** The line printed once the broker answers, followed by its bootstrap address. */
    public static final String LISTENING = "Kafka broker listening on ";
    /** The line printed once the broker has shut down. */
    public static final String STOPPED = "Kafka broker stopped";

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "Where the broker keeps its data; formatted when new, kept at the end.")
    private Path dataDir;

    @Option(names = "--address-file", paramLabel = "FILE",
            description = "Written with the bootstrap address (host:port) once the broker answers: wait for this file.")
    private Path addressFile;

    @Option(names = "--broker-setting", paramLabel = "KEY=VALUE",
            description = "A broker setting on top of the defaults (repeatable), e.g. transaction.abort.timed.out.transaction.cleanup.interval.ms=1000.")
    private Map<String, String> settings = new LinkedHashMap<>();

    private final PrintStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);

    StandaloneBroker(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new StandaloneBroker(System.out), args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, false, settings);
        // SIGTERM runs the shutdown hooks: the broker closes its logs cleanly, as a pod's broker does when it is stopped
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            out.println(STOPPED);
            out.flush();
            stopped.countDown();
        }, "broker-shutdown"));
        if (addressFile != null) {
            // whole or not at all: a reader polling for the file never sees half an address
            Path partial = addressFile.resolveSibling("." + addressFile.getFileName() + ".partial");
            Files.writeString(partial, broker.bootstrapServers(), StandardCharsets.UTF_8);
            AtomicFiles.moveIntoPlace(partial, addressFile);
        }
        out.println(LISTENING + broker.bootstrapServers());
        out.flush();
        stopped.await();
        return CommandLines.OK;
    }
}
