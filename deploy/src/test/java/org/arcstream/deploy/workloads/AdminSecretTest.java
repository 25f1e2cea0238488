package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.arcstream.deploy.kustomize.Kustomization;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class AdminSecretTest {

    static final String SECRET = "arcstream-admin";
    /** The embedders' read-only model user: the trainer serves models to it, the embedders fetch with it. */
    static final String MODEL_READER_SECRET = "arcstream-model-reader";
    /** Which Secret each password variable must come from. */
    static final Map<String, String> PASSWORD_SECRETS = Map.of(
            "EMBEDDER_ADMIN_PASSWORD", SECRET, "TRAINER_ADMIN_PASSWORD", SECRET,
            "TRAINER_PUBLISH_PASSWORD", MODEL_READER_SECRET, "EMBEDDER_MODELS_DOWNLOAD_HTTP_PASSWORD", MODEL_READER_SECRET);

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void theAdminSecretCarriesNoPassword(String overlay) {
        for (String name : new String[] {SECRET, MODEL_READER_SECRET}) {
            Map<String, Object> secret = Rendering.of(overlay).get("Secret", name);
            Set<String> keys = new HashSet<>(Tree.map(secret, "data").keySet());
            keys.addAll(Tree.map(secret, "stringData").keySet());
            assertEquals(Set.of("username"), keys, overlay + ": " + name + " must hold the user name only");
        }
        for (Map<String, Object> other : Rendering.of(overlay).ofKind("Secret")) {
            for (String section : new String[] {"data", "stringData"}) {
                for (String key : Tree.map(other, section).keySet()) {
                    assertFalse(key.toLowerCase(Locale.ROOT).contains("pass"), overlay + ": " + Kustomization.id(other) + " carries " + key);
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void passwordsComeFromTheSecretAndTheServicesWaitForIt(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        Set<String> readers = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> workload : rendering.workloads()) {
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                for (Map<String, Object> variable : Tree.maps(container, "env")) {
                    String name = variable.get("name").toString();
                    if (!name.toUpperCase(Locale.ROOT).contains("PASSWORD")) {
                        continue;
                    }
                    String where = overlay + " " + Kustomization.id(workload) + " " + name;
                    assertNull(variable.get("value"), where + " has a literal value");
                    assertEquals(PASSWORD_SECRETS.get(name), Tree.string(variable, "valueFrom", "secretKeyRef", "name"), where);
                    seen.add(name);
                    assertEquals("password", Tree.string(variable, "valueFrom", "secretKeyRef", "key"), where);
                    // not optional: without a password the pod does not start instead of running unprotected
                    assertNotEquals(Boolean.TRUE, Tree.get(variable, "valueFrom", "secretKeyRef", "optional"), where);
                    readers.add(Rendering.name(workload));
                }
            }
            for (Map<String, Object> configMap : rendering.ofKind("ConfigMap")) {
                for (String key : Tree.map(configMap, "data").keySet()) {
                    assertFalse(key.toUpperCase(Locale.ROOT).contains("PASSWORD"), overlay + ": ConfigMap " + Rendering.name(configMap) + " holds " + key);
                }
            }
        }
        assertEquals(Set.of("embedder", "trainer"), readers, overlay + ": the services with an admin API and their password");
        assertEquals(PASSWORD_SECRETS.keySet(), seen, overlay + ": the admin passwords, and the model user's on both sides");
    }
}
