package org.arcstream.demo.drill;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the shipped deployment gives each service: the environment of a Deployment's container as the kubelet
 * builds it from deploy/k8s/base (ConfigMaps of {@code envFrom} first, then {@code env}: literal values,
 * {@code configMapKeyRef} and {@code secretKeyRef}), the keys the shipped Secrets set, and the JVM flags of the
 * service's image (deploy/docker/SERVICE/Dockerfile, its ENTRYPOINT).
 */
final class Manifests {

    private static final Pattern ENTRYPOINT = Pattern.compile("^ENTRYPOINT\\s+\\[(.*)]\\s*$");

    private final Path repository;
    private final Map<String, Map<String, String>> configMaps;

    private Manifests(Path repository, Map<String, Map<String, String>> configMaps) {
        this.repository = repository;
        this.configMaps = configMaps;
    }

    /** Reads the ConfigMaps of {@code <repository>/deploy/k8s/base/config.yaml}. */
    static Manifests read(Path repository) throws IOException {
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        for (Map<String, Object> doc : documents(repository.resolve("deploy/k8s/base/config.yaml"))) {
            if ("ConfigMap".equals(doc.get("kind"))) {
                Map<String, String> data = new LinkedHashMap<>();
                map(doc.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
                maps.put((String) map(doc.get("metadata")).get("name"), data);
            }
        }
        return new Manifests(repository, maps);
    }

    /** The ConfigMap's data; fails when the manifests have no such ConfigMap. */
    Map<String, String> configMap(String name) {
        Map<String, String> data = configMaps.get(name);
        if (data == null) {
            throw new IllegalArgumentException("deploy/k8s/base/config.yaml has no ConfigMap " + name);
        }
        return data;
    }

    /**
     * The keys the shipped Secret {@code name} (in deploy/k8s/base/{@code file}) sets, as {@code name/key}: those
     * that are not deliberately left for the operator to set.
     */
    Map<String, String> secret(String file, String name) throws IOException {
        for (Map<String, Object> doc : documents(repository.resolve("deploy/k8s/base/" + file))) {
            if ("Secret".equals(doc.get("kind")) && name.equals(map(doc.get("metadata")).get("name"))) {
                Map<String, String> keys = new LinkedHashMap<>();
                map(doc.get("stringData")).forEach((k, v) -> keys.put(name + "/" + k, String.valueOf(v)));
                return keys;
            }
        }
        throw new IllegalArgumentException("deploy/k8s/base/" + file + " has no Secret " + name);
    }

    /**
     * The environment of container {@code container} of Deployment {@code deployment} (in
     * deploy/k8s/base/{@code deployment}.yaml). ConfigMaps named in {@code replacedConfigMaps} are taken from
     * there instead of the manifests (e.g. the Kafka address); a Secret's key is looked up in {@code secrets}
     * as {@code secret/key}. A ConfigMap or Secret key that is not there fails, as the pod would not start.
     */
    Map<String, String> environment(String deployment, String container, Map<String, Map<String, String>> replacedConfigMaps,
            Map<String, String> secrets) throws IOException {
        Map<String, Object> spec = containerSpec(deployment, container);
        Map<String, String> env = new LinkedHashMap<>();
        for (Object source : list(spec.get("envFrom"))) {
            String name = (String) map(map(source).get("configMapRef")).get("name");
            env.putAll(replacedConfigMaps.containsKey(name) ? replacedConfigMaps.get(name) : configMap(name));
        }
        for (Object entry : list(spec.get("env"))) {
            Map<String, Object> variable = map(entry);
            String name = (String) variable.get("name");
            if (variable.containsKey("value")) {
                env.put(name, String.valueOf(variable.get("value")));
                continue;
            }
            Map<String, Object> from = map(variable.get("valueFrom"));
            if (from.containsKey("configMapKeyRef")) {
                Map<String, Object> ref = map(from.get("configMapKeyRef"));
                String map = (String) ref.get("name");
                Map<String, String> data = replacedConfigMaps.containsKey(map) ? replacedConfigMaps.get(map) : configMap(map);
                env.put(name, required(data, (String) ref.get("key"), "ConfigMap " + map));
            } else if (from.containsKey("secretKeyRef")) {
                Map<String, Object> ref = map(from.get("secretKeyRef"));
                env.put(name, required(secrets, ref.get("name") + "/" + ref.get("key"), "the secrets given"));
            } else {
                throw new IllegalArgumentException(deployment + ": variable " + name + " has a source this reader does not know: " + from);
            }
        }
        return env;
    }

    /** The {@code -D} flags of the image's {@code java} ENTRYPOINT (deploy/docker/{@code image}/Dockerfile). */
    List<String> imageJvmFlags(String image) throws IOException {
        for (String line : Files.readAllLines(repository.resolve("deploy/docker/" + image + "/Dockerfile"))) {
            Matcher m = ENTRYPOINT.matcher(line.trim());
            if (m.matches()) {
                List<String> flags = new ArrayList<>();
                for (String element : m.group(1).split(",")) {
                    String arg = element.trim().replaceAll("^\"|\"$", "");
                    if (arg.startsWith("-D")) {
                        flags.add(arg);
                    }
                }
                return flags;
            }
        }
        throw new IllegalArgumentException("deploy/docker/" + image + "/Dockerfile has no ENTRYPOINT line");
    }

    private Map<String, Object> containerSpec(String deployment, String container) throws IOException {
        for (Map<String, Object> doc : documents(repository.resolve("deploy/k8s/base/" + deployment + ".yaml"))) {
            if (!"Deployment".equals(doc.get("kind"))) {
                continue;
            }
            Map<String, Object> pod = map(map(map(doc.get("spec")).get("template")).get("spec"));
            for (Object c : list(pod.get("containers"))) {
                if (container.equals(map(c).get("name"))) {
                    return map(c);
                }
            }
        }
        throw new IllegalArgumentException("deploy/k8s/base/" + deployment + ".yaml has no Deployment with a container " + container);
    }

    private static String required(Map<String, String> data, String key, String where) {
        String value = data.get(key);
        if (value == null) {
            throw new IllegalArgumentException(where + " has no key " + key);
        }
        return value;
    }

    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (doc != null) {
                    docs.add(map(doc));
                }
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }
}
