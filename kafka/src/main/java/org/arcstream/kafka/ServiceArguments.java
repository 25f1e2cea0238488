package org.arcstream.kafka;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of a service: {@code --bootstrap-servers H:P} (or {@code =H:P}) is the short form of
 * the service's own Kafka key; {@code -h} or {@code --help} asks for the usage instead of starting the
 * service; every other argument goes to Micronaut as it is ({@code --key=value}).
 */
public record ServiceArguments(String[] micronaut, Map<String, Object> properties, boolean helpRequested) {

    /** Splits {@code args}, mapping the cluster option onto {@code bootstrapKey}. */
    public static ServiceArguments parse(String[] args, String bootstrapKey) {
        List<String> rest = new ArrayList<>();
        String servers = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--bootstrap-servers") && i + 1 < args.length) {
                servers = args[++i];
            } else if (args[i].startsWith("--bootstrap-servers=")) {
                servers = args[i].substring("--bootstrap-servers=".length());
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                help = true;
            } else {
                rest.add(args[i]);
            }
        }
        return new ServiceArguments(rest.toArray(String[]::new), servers == null ? Map.of() : Map.of(bootstrapKey, servers), help);
    }

    /**
     * The arguments to start a service with; empty when they ask for help, whose usage is then printed on
     * {@code out} (the caller returns from {@code main} without starting anything: exit code 0).
     */
    public static Optional<ServiceArguments> parseOrPrintHelp(String[] args, String bootstrapKey, Usage usage, PrintStream out) {
        ServiceArguments parsed = parse(args, bootstrapKey);
        if (parsed.helpRequested()) {
            out.print(usage.text(bootstrapKey));
            out.flush();
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

    /**
     * What {@code --help} says about a service.
     *
     * @param command as typed, e.g. {@code arcstream embedder}
     * @param description what the service does, one or more lines
     * @param settingsFile where its settings are documented
     * @param example an example of a setting given on the command line, without the leading dashes
     * @param environment environment variables worth naming, e.g. the password
     */
    public record Usage(String command, String description, String settingsFile, String example, String environment) {

        String text(String bootstrapKey) {
            String n = System.lineSeparator();
            return "Usage: " + command + " [--bootstrap-servers=HOST:PORT[,...]] [--KEY=VALUE]..." + n
                    + description + n
                    + "Runs until it is stopped (Ctrl-C, SIGTERM)." + n
                    + "      --bootstrap-servers=HOST:PORT[,...]" + n
                    + "                  Kafka cluster; short for --" + bootstrapKey + "=..." + n
                    + "      --KEY=VALUE Any setting of the service, e.g. --" + example + n
                    + "                  (all settings, with their defaults: " + settingsFile + ")." + n
                    + "  -h, --help      Show this help message and exit." + n
                    + "Every setting can also come from the environment, upper case with underscores:" + n
                    + "  " + environment + n;
        }
    }
}
