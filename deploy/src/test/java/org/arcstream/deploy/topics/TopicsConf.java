package org.arcstream.deploy.topics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;

/** The topic table of the topics Job ({@code topics.conf} in ConfigMap arcstream-topics): name, partitions, configs. */
public record TopicsConf(String text, List<Topic> topics) {

    public static final String CONFIG_MAP = "arcstream-topics";

    /** One line of the table. */
    public record Topic(String name, int partitions, Map<String, String> configs) {
    }

    public static TopicsConf of(Rendering rendering) {
        Map<String, Object> configMap = rendering.get("ConfigMap", CONFIG_MAP);
        String text = Tree.string(configMap, "data", "topics.conf");
        if (text == null) {
            throw new AssertionError(CONFIG_MAP + " has no topics.conf");
        }
        return parse(text);
    }

    public static TopicsConf parse(String text) {
        List<Topic> topics = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length < 2 || fields.length > 3) {
                throw new AssertionError("topics.conf line is not 'name partitions [configs]': " + line);
            }
            Map<String, String> configs = new LinkedHashMap<>();
            if (fields.length == 3) {
                for (String config : fields[2].split(",")) {
                    String[] kv = config.split("=", 2);
                    if (kv.length != 2) {
                        throw new AssertionError("topic config is not key=value: " + config);
                    }
                    configs.put(kv[0], kv[1]);
                }
            }
            topics.add(new Topic(fields[0], Integer.parseInt(fields[1]), configs));
        }
        return new TopicsConf(text, topics);
    }

    public Topic topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("topics.conf does not create " + name));
    }
}
