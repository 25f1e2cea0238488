package org.arcstream.deploy.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcstream.deploy.Repository;

/**
 * The keys a service documents in its {@code src/main/resources/application.yml}, as the environment
 * variables Micronaut maps to them: set keys, keys commented out as {@code # key: value} (documented
 * without a default) and {@code ${NAME:default}} placeholders, plus the keys of the module README's generated
 * configuration reference. Read line by line so that commented keys count.
 */
public record ServiceConfig(String module, Map<String, String> values, Set<String> openMaps, Set<String> placeholders) {

    private static final Pattern KEY = Pattern.compile("^(\\s*)(# )?([A-Za-z][\\w-]*):(?:\\s+(.*))?$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern REFERENCE_ROW = Pattern.compile("^\\| `([a-z][\\w.-]*)` \\| `[A-Z0-9_]+` \\| (none|empty|`([^`]*)`) \\|.*");

    public static Path file(String module) {
        return Repository.root().resolve(module).resolve("src/main/resources/application.yml");
    }

    /**
     * True when the module's application.yml has its own top-level section ({@code embedder:} for the
     * embedder): the service's settings have landed in this checkout.
     */
    public static boolean hasOwnSection(String module) {
        Path file = file(module);
        try {
            return Files.isRegularFile(file) && Files.readAllLines(file).contains(module + ":")
                    || !referenceDefaults(module).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The keys and defaults of the module README's generated "Configuration reference" (rows
     * {@code | `key` | `ENV` | `default` | meaning |}): a service whose keys have their defaults in its configuration
     * records lists them there instead of in application.yml. "none" and "empty" count as an empty default.
     */
    static Map<String, String> referenceDefaults(String module) {
        Path readme = Repository.root().resolve(module).resolve("README.md");
        Map<String, String> defaults = new LinkedHashMap<>();
        if (!Files.isRegularFile(readme)) {
            return defaults;
        }
        try {
            for (String line : Files.readAllLines(readme)) {
                Matcher row = REFERENCE_ROW.matcher(line);
                if (row.matches() && row.group(1).startsWith(module + ".")) {
                    defaults.put(row.group(1), row.group(3) == null ? "" : row.group(3));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    public static ServiceConfig read(String module) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file(module));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> openMaps = new TreeSet<>();
        Set<String> placeholders = new TreeSet<>();
        List<int[]> indents = new ArrayList<>();
        List<String> path = new ArrayList<>();
        for (String line : lines) {
            Matcher placeholder = PLACEHOLDER.matcher(line);
            while (placeholder.find()) {
                placeholders.add(placeholder.group(1));
            }
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.get(indents.size() - 1)[0] >= indent) {
                indents.remove(indents.size() - 1);
                path.remove(path.size() - 1);
            }
            indents.add(new int[] {indent});
            path.add(m.group(3));
            String key = String.join(".", path);
            String value = m.group(4) == null ? "" : m.group(4).strip();
            Matcher inner = PLACEHOLDER.matcher(value);
            if (inner.matches()) {
                value = inner.group(2) == null ? "" : inner.group(2);
            }
            values.put(key, unquote(value));
            if (value.equals("{}")) {
                openMaps.add(key);
            }
        }
        referenceDefaults(module).forEach(values::putIfAbsent);
        return new ServiceConfig(module, values, openMaps, placeholders);
    }

    /** Micronaut's environment variable name of a key. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** True when the variable sets a documented key, an entry of a documented open map, or a placeholder. */
    public boolean accepts(String variable) {
        if (placeholders.contains(variable)) {
            return true;
        }
        for (String key : values.keySet()) {
            if (envName(key).equals(variable)) {
                return true;
            }
        }
        return openMaps.stream().anyMatch(key -> variable.startsWith(envName(key) + "_"));
    }

    /** The key a variable sets, or null. */
    public String keyOf(String variable) {
        return values.keySet().stream().filter(k -> envName(k).equals(variable)).findFirst().orElse(null);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
