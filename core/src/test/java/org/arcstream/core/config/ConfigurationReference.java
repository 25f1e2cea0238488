package org.arcstream.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Configuration reference" of a service's README, generated from the configuration metadata that Micronaut's
 * annotation processor writes for the {@code @ConfigurationProperties} records
 * ({@code META-INF/spring-configuration-metadata.json}: key, default, and the record's {@code @param} javadoc), so
 * that the table cannot drift from the records. Used by the services' {@code ConfigurationReferenceTest}s; run one
 * with {@code -Dupdate=true} to rewrite the README section.
 */
public final class ConfigurationReference {

    public static final String BEGIN = "<!-- BEGIN generated configuration reference: do not edit, see ConfigurationReferenceTest -->";
    public static final String END = "<!-- END generated configuration reference -->";

    private ConfigurationReference() {
    }

    /** The markdown table of every property in {@code metadata}: records by key prefix, each in its components' order. */
    public static String render(Path metadata) throws IOException {
        JsonNode root = new ObjectMapper().readTree(metadata.toFile());
        Map<String, String> groupOfType = new HashMap<>();
        root.path("groups").forEach(g -> groupOfType.put(g.path("type").asText(), g.path("name").asText()));
        List<JsonNode> properties = new ArrayList<>();
        root.path("properties").forEach(properties::add);
        // the processor lists the records in compilation order, which varies; within a record it keeps the components' order
        properties.sort(Comparator.comparing(p -> groupOfType.getOrDefault(p.path("sourceType").asText(), "")));
        StringBuilder table = new StringBuilder("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
        for (JsonNode property : properties) {
            String key = property.path("name").asText();
            table.append("| `").append(key).append("` | `").append(environmentName(key)).append("` | ")
                    .append(shownDefault(property.get("defaultValue"))).append(" | ")
                    .append(markdown(property.path("description").asText(""))).append(" |\n");
        }
        return table.toString();
    }

    /** Micronaut's environment variable for a key: upper case, dots and dashes as underscores. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The README with its generated section replaced by {@code table}; fails when the markers are missing. */
    public static String withSection(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no section between '" + BEGIN + "' and '" + END + "'");
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    /**
     * Compares the README's section with the generated table; with {@code update}, rewrites the README instead.
     *
     * @return the README as it should be (the test asserts it equals the file)
     */
    public static String expectedReadme(Path readme, Path metadata, boolean update) throws IOException {
        String current = Files.readString(readme, StandardCharsets.UTF_8);
        String expected = withSection(current, render(metadata));
        if (update && !expected.equals(current)) {
            Files.writeString(readme, expected, StandardCharsets.UTF_8);
        }
        return expected;
    }

    private static String shownDefault(JsonNode value) {
        if (value == null || value.isNull()) {
            return "none";
        }
        return value.asText().isEmpty() ? "empty" : "`" + value.asText() + "`";
    }

    /** Javadoc to one markdown table cell: {@code x} as code, line breaks and indentation folded, pipes escaped. */
    static String markdown(String javadoc) {
        return javadoc.replaceAll("\\{@code ([^}]*)}", "`$1`")
                .replaceAll("\\{@link #?([^}]*)}", "`$1`")
                .replaceAll("\\s+", " ")
                .replace("|", "\\|")
                .trim();
    }
}
