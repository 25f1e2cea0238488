package org.arcstream.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that run outside the core command line, read from {@code commands.tsv} beside this
 * class: the one list the launcher routes by and {@code arcstream help} prints.
 */
public final class RoutedCommands {

    /** Where the list lives, as a class path resource and under {@code core/src/main/resources}. */
    public static final String RESOURCE = "org/arcstream/core/cli/commands.tsv";

    /** One routed command: its name, the module that runs it, its main class and what it does. */
    public record Entry(String name, String module, String mainClass, String description) {}

    private RoutedCommands() {}

    public static List<Entry> all() {
        try (InputStream in = RoutedCommands.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of four tab-separated fields; blank lines and lines starting with {@code #} are left out. */
    public static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
                throw new IllegalStateException(RESOURCE + ": expected command, module, main class and description separated by tabs: " + line);
            }
            entries.add(new Entry(f[0], f[1], f[2], f[3]));
        }
        return List.copyOf(entries);
    }
}
