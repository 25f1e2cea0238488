package org.arcstream.demo.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The drills' topics are those that deploy/k8s/topics-job/topics.yaml creates: same names, partitions and settings. */
class ShippedTopicsTest {

    @Test
    void theDrillsCreateTheTopicsAsTheDeploymentDoes() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../deploy/k8s/topics-job/topics.yaml"));
        Map<String, String> shipped = new LinkedHashMap<>();
        boolean inConf = false;
        for (String line : lines) {
            if (line.trim().equals("topics.conf: |")) {
                inConf = true;
                continue;
            }
            if (inConf && !line.startsWith("    ")) {
                break;
            }
            String entry = line.trim();
            if (inConf && !entry.isEmpty() && !entry.startsWith("#")) {
                String[] fields = entry.split("\\s+");
                shipped.put(fields[0], fields[1] + " " + sorted(fields.length > 2 ? fields[2] : ""));
            }
        }
        Map<String, String> drills = new LinkedHashMap<>();
        for (ShippedTopics.Topic t : ShippedTopics.ALL) {
            drills.put(t.name(), t.partitions() + " " + new TreeMap<>(t.configs()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        }
        assertEquals(shipped, drills);
    }

    private static String sorted(String configs) {
        return Arrays.stream(configs.split(",")).filter(c -> !c.isEmpty()).sorted().collect(Collectors.joining(","));
    }
}
