package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.arcstream.core.config.Settings;
import org.arcstream.deploy.Repository;
import org.arcstream.deploy.docker.ServiceImage;
import org.arcstream.deploy.kustomize.ImageRef;
import org.arcstream.deploy.kustomize.Kustomization;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.kafka.KafkaClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The environment each arcstream container gets: its image's ENV, then its ConfigMaps, then its own env. */
class EnvironmentTest {

    private static final Pattern TMPDIR = Pattern.compile("-Djava\\.io\\.tmpdir=(\\S+)");
    /** System properties naming a folder ({@code java.io.tmpdir}, {@code org.bytedeco.javacpp.cachedir}). */
    private static final Pattern DIR_PROPERTY = Pattern.compile("-D(\\S*dir)=(\\S+)");
    /** Every property Kafka's producer, consumer or admin client defines. */
    private static final Set<String> KAFKA_CLIENT_PROPERTIES = Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(),
            AdminClientConfig.configNames()).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyArcstreamVariableIsASettingOfCore(String overlay) throws IOException {
        Set<String> known = coreVariables();
        Rendering rendering = Rendering.of(overlay);
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> workload : rendering.workloads()) {
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                for (String name : environment(rendering, container).keySet()) {
                    if (name.startsWith("ARCSTREAM_")) {
                        used.add(name);
                        assertTrue(known.contains(name) || isKafkaClientVariable(name), overlay + " " + Kustomization.id(workload) + " "
                                + container.get("name") + " sets " + name + ", which is no key of core's arcstream.properties"
                                + " nor a Kafka client property");
                    }
                }
            }
        }
        for (Map<String, Object> configMap : rendering.ofKind("ConfigMap")) {
            for (String key : Tree.map(configMap, "data").keySet()) {
                if (key.startsWith("ARCSTREAM_")) {
                    assertTrue(known.contains(key) || isKafkaClientVariable(key), overlay + ": ConfigMap " + Rendering.name(configMap)
                            + " sets unknown " + key);
                }
            }
        }
        assertTrue(used.containsAll(Set.of("ARCSTREAM_MODELS_DIR", "ARCSTREAM_EMBEDDING_BATCH_SIZE", "ARCSTREAM_INFERENCE_DEVICE",
                "ARCSTREAM_KAFKA_SECURITY_PROTOCOL", "ARCSTREAM_KAFKA_SASL_JAAS_CONFIG")), used.toString());
    }

    @Test
    void kafkaClientVariablesAreNamedAsKafkaClientConfigReadsThem() throws IOException {
        assertTrue(isKafkaClientVariable("ARCSTREAM_KAFKA_SSL_TRUSTSTORE_LOCATION"));
        assertTrue(isKafkaClientVariable("ARCSTREAM_KAFKA_SASL_JAAS_CONFIG"));
        // misspelt, or a property no client has: the client would ignore it and connect without it
        assertFalse(isKafkaClientVariable("ARCSTREAM_KAFKA_SSL_TRUSTSTORE_LOCATON"));
        assertFalse(isKafkaClientVariable("ARCSTREAM_KAFKA_SECURITY"));
        assertFalse(isKafkaClientVariable("ARCSTREAM_KAFKA_"));
        // the two families stay apart: no core setting is taken for a Kafka client property
        assertTrue(coreVariables().stream().noneMatch(name -> name.startsWith(KafkaClientConfig.ENV_PREFIX)), coreVariables().toString());
    }

    /**
     * True when KafkaClientConfig reads the variable as a Kafka client property (its own name mapping) and that property is
     * one Kafka's producer, consumer or admin client defines.
     */
    static boolean isKafkaClientVariable(String name) {
        Map<String, String> properties = KafkaClientConfig.fromEnvironment(Map.of(name, "x"));
        return properties.size() == 1 && KAFKA_CLIENT_PROPERTIES.containsAll(properties.keySet());
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyFolderTheProcessWritesIsOnAWritableVolume(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        for (Map<String, Object> workload : rendering.workloads()) {
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                String image = ImageRef.parse(Tree.string(container, "image")).name();
                if (!image.startsWith(ServiceImage.REPOSITORY)) {
                    continue;
                }
                String where = overlay + " " + Kustomization.id(workload) + " " + container.get("name");
                Map<String, String> env = environment(rendering, container);
                Matcher tmpdir = TMPDIR.matcher(env.getOrDefault("JDK_JAVA_OPTIONS", ""));
                assertTrue(tmpdir.find(), where + " runs with the default java.io.tmpdir");
                assertWritable(container, tmpdir.group(1), where + " java.io.tmpdir");
                Matcher property = DIR_PROPERTY.matcher(env.get("JDK_JAVA_OPTIONS"));
                while (property.find()) {
                    assertWritable(container, property.group(2), where + " " + property.group(1));
                }
                // ARCSTREAM_MODELS_DIR, DJL_CACHE_DIR, EMBEDDER_KAFKA_STATE_DIR, TRAINER_STORE_DIR, ...
                env.forEach((name, value) -> {
                    if (name.endsWith("_DIR")) {
                        assertWritable(container, value, where + " " + name);
                    }
                });
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void theModelsInitContainerFillsTheFolderTheServiceReads(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        for (String service : List.of("embedder", "trainer")) {
            Map<String, Object> deployment = rendering.get("Deployment", service);
            Map<String, Object> main = Rendering.mainContainer(deployment);
            List<Map<String, Object>> fetchers = Tree.maps(Rendering.podSpec(deployment), "initContainers").stream()
                    .filter(c -> ImageRef.parse(Tree.string(c, "image")).name().equals(ServiceImage.REPOSITORY + "models")).toList();
            assertEquals(1, fetchers.size(), overlay + " " + service + " has no model fetcher init container");
            Map<String, Object> fetcher = fetchers.get(0);
            String dir = environment(rendering, main).get("ARCSTREAM_MODELS_DIR");
            assertNotNull(dir, service + " does not say where the models are");
            assertEquals(dir, environment(rendering, fetcher).get("ARCSTREAM_MODELS_DIR"), overlay + " " + service);
            assertEquals(mountOf(main, dir).get("name"), mountOf(fetcher, dir).get("name"),
                    overlay + " " + service + ": the fetcher writes another volume than the service reads");
            assertEquals(List.of("models"), Tree.list(fetcher, "args").stream().map(Object::toString).toList());
        }
    }

    /** Image ENV, then envFrom ConfigMaps, then env entries (later wins, as in the container). */
    static Map<String, String> environment(Rendering rendering, Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        String image = ImageRef.parse(Tree.string(container, "image")).name();
        if (image.startsWith(ServiceImage.REPOSITORY)) {
            env.putAll(ServiceImage.forImage(image).dockerfile().finalStage().env());
        }
        for (Map<String, Object> from : Tree.maps(container, "envFrom")) {
            Map<String, Object> configMap = rendering.get("ConfigMap", Tree.string(from, "configMapRef", "name"));
            Tree.map(configMap, "data").forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        for (Map<String, Object> variable : Tree.maps(container, "env")) {
            Object value = variable.get("value");
            env.put(variable.get("name").toString(), value == null ? "" : value.toString());
        }
        return env;
    }

    private static void assertWritable(Map<String, Object> container, String path, String what) {
        Map<String, Object> mount = mountOf(container, path);
        assertFalse(mount.isEmpty(), what + " " + path + " is on the read-only root filesystem");
        assertFalse(Boolean.TRUE.equals(mount.get("readOnly")), what + " " + path + " is on a read-only mount");
    }

    /** The deepest volume mount holding the path, or an empty map. */
    private static Map<String, Object> mountOf(Map<String, Object> container, String path) {
        Map<String, Object> best = Map.of();
        int bestLength = -1;
        for (Map<String, Object> mount : Tree.maps(container, "volumeMounts")) {
            String mountPath = mount.get("mountPath").toString();
            if ((path.equals(mountPath) || path.startsWith(mountPath + "/")) && mountPath.length() > bestLength) {
                best = mount;
                bestLength = mountPath.length();
            }
        }
        return best;
    }

    /** ARCSTREAM_ + every key of core's arcstream.properties, named as core's Settings reads them. */
    static Set<String> coreVariables() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Repository.root().resolve("core/src/main/resources/arcstream.properties"))) {
            properties.load(reader);
        }
        Set<String> names = properties.stringPropertyNames().stream().map(Settings::envName).collect(Collectors.toSet());
        assertFalse(names.isEmpty());
        return names;
    }
}
