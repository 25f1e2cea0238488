package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcstream.deploy.kustomize.Kustomization;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.deploy.strimzi.StrimziResources;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.ServiceAcls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each service reaches the Strimzi listener as its own KafkaUser, with Secrets the Strimzi operators write, named in the
 * environment (Kafka's config providers) and never written into a ConfigMap.
 */
class KafkaCredentialsTest {

    private static final StrimziResources STRIMZI = StrimziResources.read();
    /** The principal each service connects as (docs/security.md): its KafkaUser. */
    private static final Map<String, String> PRINCIPALS = Map.of(
            "ingest", ServiceAcls.INGEST, "embedder", ServiceAcls.EMBEDDER, "trainer", ServiceAcls.TRAINER);
    /** Keys of Secrets in the manifests that are set by hand after the first apply (deploy/README.md). */
    private static final Map<String, Set<String>> SET_BY_HAND = Map.of(AdminSecretTest.SECRET, Set.of("password"),
            AdminSecretTest.MODEL_READER_SECRET, Set.of("password"));
    /** {@code ${dir:<folder>:<file>}}: a file of a mounted folder, resolved by each Kafka client. */
    private static final Pattern DIR_REFERENCE = Pattern.compile("\\$\\{dir:([^:}]+):([^}]+)}");
    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{(dir|file|env):[^}]+}");
    /** A password written out: {@code password="..."} (a JAAS line) or {@code password=...} (a properties file). */
    private static final Pattern LITERAL_PASSWORD = Pattern.compile("(?i)password\\s*=\\s*\"?[^\"$\\s]");
    /** A URL with a password in its user info: {@code rtsp://user:secret@camera}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("://[^/@\\s:]+:[^/@\\s]+@");

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyServiceConnectsToTheListenerAsItsOwnKafkaUser(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        GenericKafkaListener listener = STRIMZI.kafka().getSpec().getKafka().getListeners().get(0);
        assertTrue(listener.isTls() && listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512, listener.getName());
        Set<String> users = new HashSet<>();
        for (Map.Entry<String, String> service : PRINCIPALS.entrySet()) {
            Map<String, Object> deployment = rendering.get("Deployment", service.getKey());
            Map<String, Object> container = Rendering.mainContainer(deployment);
            String where = overlay + " " + service.getKey();
            Map<String, String> kafka = KafkaClientConfig.fromEnvironment(EnvironmentTest.environment(rendering, container));
            // what the TLS listener with SCRAM-SHA-512 authentication asks of its clients
            assertEquals("SASL_SSL", kafka.get("security.protocol"), where);
            assertEquals("SCRAM-SHA-512", kafka.get("sasl.mechanism"), where);

            String jaas = kafka.get("sasl.jaas.config");
            assertNotNull(jaas, where + " has no sasl.jaas.config");
            Matcher reference = DIR_REFERENCE.matcher(jaas);
            assertTrue(reference.matches(), where + ": sasl.jaas.config should name a file of the mounted KafkaUser Secret: " + jaas);
            String secret = secretMountedAt(deployment, container, reference.group(1));
            assertNotNull(secret, where + ": no Secret is mounted at " + reference.group(1));
            KafkaUser user = STRIMZI.users().stream().filter(u -> secret.equals(userSecret(u))).findFirst()
                    .orElseThrow(() -> new AssertionError(where + " reads Secret " + secret + ", which no KafkaUser writes"));
            assertEquals(service.getValue(), user.getMetadata().getName(), where + " connects as another service's principal");
            assertTrue(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication, where + ": no SCRAM user");
            assertTrue(ServiceAcls.defaults().byPrincipal().containsKey(user.getMetadata().getName()), where + ": a principal without ACLs");
            assertTrue(filesAt(deployment, container, reference.group(1), operatorSecrets()).contains(reference.group(2)),
                    where + ": the mounted Secret has no key " + reference.group(2));
            assertTrue(users.add(user.getMetadata().getName()), where + " shares its KafkaUser");
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyServiceTrustsTheClusterCa(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        String clusterCa = clusterCaSecret(STRIMZI.kafka());
        for (String service : PRINCIPALS.keySet()) {
            Map<String, Object> deployment = rendering.get("Deployment", service);
            Map<String, Object> container = Rendering.mainContainer(deployment);
            String where = overlay + " " + service;
            Map<String, String> kafka = KafkaClientConfig.fromEnvironment(EnvironmentTest.environment(rendering, container));
            String location = kafka.get("ssl.truststore.location");
            assertNotNull(location, where + " has no trust store: it would trust the JVM's CAs, not the cluster's");
            int slash = location.lastIndexOf('/');
            String folder = location.substring(0, slash);
            String file = location.substring(slash + 1);
            assertEquals(clusterCa, secretMountedAt(deployment, container, folder), where + ": " + location + " is not the cluster CA");
            assertTrue(filesAt(deployment, container, folder, operatorSecrets()).contains(file), where + ": the mounted CA Secret has no " + file);
            // Strimzi's keys: ca.crt is PEM, ca.p12 a PKCS12 store opened with ca.password
            String type = kafka.getOrDefault("ssl.truststore.type", "JKS");
            assertEquals(file.endsWith(".p12") ? "PKCS12" : file.endsWith(".crt") ? "PEM" : "?", type, where + " reads " + file + " as " + type);
            if (type.equals("PKCS12")) {
                assertEquals("${dir:" + folder + ":ca.password}", kafka.get("ssl.truststore.password"), where);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everySecretAndKeyAWorkloadReadsExists(String overlay) {
        Rendering rendering = Rendering.of(overlay).plus(Rendering.topicsJob());
        Map<String, Set<String>> secrets = secrets(rendering);
        for (Map<String, Object> workload : rendering.workloads()) {
            String id = overlay + " " + Kustomization.id(workload);
            Map<String, Map<String, Object>> secretVolumes = new TreeMap<>();
            for (Map<String, Object> volume : Tree.maps(Rendering.podSpec(workload), "volumes")) {
                Map<String, Object> secret = Tree.map(volume, "secret");
                if (secret.isEmpty()) {
                    continue;
                }
                secretVolumes.put(volume.get("name").toString(), secret);
                String name = Tree.string(secret, "secretName");
                if (Boolean.TRUE.equals(secret.get("optional"))) {
                    continue;
                }
                assertTrue(secrets.containsKey(name), id + " mounts Secret " + name + ", which neither the manifests nor Strimzi create");
                for (Map<String, Object> item : Tree.maps(secret, "items")) {
                    assertTrue(secrets.get(name).contains(Tree.string(item, "key")), id + " mounts key " + item.get("key") + " of " + name);
                }
            }
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                for (Map<String, Object> variable : Tree.maps(container, "env")) {
                    String name = Tree.string(variable, "valueFrom", "secretKeyRef", "name");
                    String key = Tree.string(variable, "valueFrom", "secretKeyRef", "key");
                    if (name != null) {
                        assertTrue(secrets.getOrDefault(name, Set.of()).contains(key), id + " " + variable.get("name") + " reads missing "
                                + name + "/" + key);
                    }
                }
                // ${dir:<mounted Secret>:<key>} references: the key must be a file of that Secret
                for (Map.Entry<String, String> variable : EnvironmentTest.environment(rendering, container).entrySet()) {
                    Matcher reference = DIR_REFERENCE.matcher(variable.getValue());
                    while (reference.find()) {
                        String secret = secretMountedAt(workload, container, reference.group(1));
                        assertNotNull(secret, id + " " + variable.getKey() + " refers to " + reference.group(1) + ", where no Secret is mounted");
                        assertTrue(filesAt(workload, container, reference.group(1), secrets).contains(reference.group(2)),
                                id + " " + variable.getKey() + " refers to key " + reference.group(2) + " of Secret " + secret + ", which has none");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void noConfigMapOrLiteralVariableHoldsASecret(String overlay) {
        Rendering rendering = Rendering.of(overlay).plus(Rendering.topicsJob());
        for (Map<String, Object> configMap : rendering.ofKind("ConfigMap")) {
            Tree.map(configMap, "data").forEach((key, value) ->
                    assertNoSecret(key, String.valueOf(value), overlay + ": ConfigMap " + Rendering.name(configMap)));
        }
        for (Map<String, Object> workload : rendering.workloads()) {
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                for (Map<String, Object> variable : Tree.maps(container, "env")) {
                    if (variable.get("value") != null) {
                        assertNoSecret(variable.get("name").toString(), variable.get("value").toString(),
                                overlay + " " + Kustomization.id(workload) + " " + container.get("name"));
                    }
                }
            }
        }
    }

    /** A Kafka property that may carry a secret must only name it; no value may write a password out. */
    private static void assertNoSecret(String name, String value, String where) {
        KafkaClientConfig.fromEnvironment(Map.of(name, value)).keySet().stream().filter(KafkaClientConfig::isSecret).forEach(property ->
                assertTrue(PROVIDER_REFERENCE.matcher(value).matches(), where + " writes " + name + " out instead of naming a Secret"));
        assertFalse(LITERAL_PASSWORD.matcher(value).find(), where + " " + name + " holds a password");
        assertFalse(URL_PASSWORD.matcher(value).find(), where + " " + name + " holds a URL with a password");
    }

    /**
     * Every Secret the workloads may read, with its keys: those of the manifests (plus the keys set by hand) and those the
     * Strimzi operators write.
     */
    private static Map<String, Set<String>> secrets(Rendering rendering) {
        Map<String, Set<String>> secrets = new TreeMap<>(operatorSecrets());
        for (Map<String, Object> secret : rendering.ofKind("Secret")) {
            Set<String> keys = new HashSet<>(Tree.map(secret, "data").keySet());
            keys.addAll(Tree.map(secret, "stringData").keySet());
            keys.addAll(SET_BY_HAND.getOrDefault(Rendering.name(secret), Set.of()));
            secrets.put(Rendering.name(secret), keys);
        }
        return secrets;
    }

    /**
     * The Secrets Strimzi writes, with their keys: the cluster operator's cluster CA certificate, and the user operator's
     * Secret of each KafkaUser (named after it).
     */
    static Map<String, Set<String>> operatorSecrets() {
        Map<String, Set<String>> secrets = new TreeMap<>();
        secrets.put(clusterCaSecret(STRIMZI.kafka()), Set.of("ca.crt", "ca.p12", "ca.password"));
        for (KafkaUser user : STRIMZI.users()) {
            if (user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication) {
                secrets.put(userSecret(user), Set.of("password", "sasl.jaas.config"));
            } else if (user.getSpec().getAuthentication() instanceof KafkaUserTlsClientAuthentication) {
                secrets.put(userSecret(user), Set.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password"));
            }
        }
        return secrets;
    }

    private static String clusterCaSecret(Kafka kafka) {
        return kafka.getMetadata().getName() + "-cluster-ca-cert";
    }

    /** The user operator names a user's Secret after it, behind the operator's secret prefix (none by default). */
    private static String userSecret(KafkaUser user) {
        String prefix = STRIMZI.kafka().getSpec().getEntityOperator().getUserOperator().getSecretPrefix();
        return (prefix == null ? "" : prefix) + user.getMetadata().getName();
    }

    /** The files of the Secret mounted at this folder: the keys it projects (items), else all keys of the Secret. */
    private static Set<String> filesAt(Map<String, Object> workload, Map<String, Object> container, String folder,
            Map<String, Set<String>> secrets) {
        String secret = secretMountedAt(workload, container, folder);
        Map<String, Object> volume = Tree.maps(Rendering.podSpec(workload), "volumes").stream()
                .filter(v -> secret != null && secret.equals(Tree.string(v, "secret", "secretName"))).findFirst().orElse(Map.of());
        List<Map<String, Object>> items = Tree.maps(volume, "secret", "items");
        if (items.isEmpty()) {
            return secrets.getOrDefault(secret, Set.of());
        }
        Set<String> files = new HashSet<>();
        items.stream().filter(i -> secrets.getOrDefault(secret, Set.of()).contains(Tree.string(i, "key")))
                .forEach(i -> files.add(Tree.string(i, "path")));
        return files;
    }

    /** The Secret mounted (whole, not a subPath) at exactly this folder of the container, or null. */
    private static String secretMountedAt(Map<String, Object> workload, Map<String, Object> container, String folder) {
        List<Map<String, Object>> volumes = Tree.maps(Rendering.podSpec(workload), "volumes");
        for (Map<String, Object> mount : Tree.maps(container, "volumeMounts")) {
            if (folder.equals(mount.get("mountPath")) && mount.get("subPath") == null) {
                return volumes.stream().filter(v -> v.get("name").equals(mount.get("name")))
                        .map(v -> Tree.string(v, "secret", "secretName")).findFirst().orElse(null);
            }
        }
        return null;
    }
}
