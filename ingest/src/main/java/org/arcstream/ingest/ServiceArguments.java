package org.arcstream.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a service: {@code --bootstrap-servers H:P} (or {@code =H:P}) is the short form of
 * the service's own Kafka key; every other argument goes to Micronaut as it is ({@code --key=value}).
 */
public record ServiceArguments(String[] micronaut, Map<String, Object> properties) {

    /** Splits {@code args}, mapping the cluster option onto {@code bootstrapKey}. */
    public static ServiceArguments parse(String[] args, String bootstrapKey) {
        List<String> rest = new ArrayList<>();
        String servers = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--bootstrap-servers") && i + 1 < args.length) {
                servers = args[++i];
            } else if (args[i].startsWith("--bootstrap-servers=")) {
                servers = args[i].substring("--bootstrap-servers=".length());
            } else {
                rest.add(args[i]);
            }
        }
        return new ServiceArguments(rest.toArray(String[]::new), servers == null ? Map.of() : Map.of(bootstrapKey, servers));
    }
}
