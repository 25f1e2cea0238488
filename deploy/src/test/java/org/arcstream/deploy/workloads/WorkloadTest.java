package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcstream.deploy.docker.ServiceImage;
import org.arcstream.deploy.kustomize.ImageRef;
import org.arcstream.deploy.kustomize.Kustomization;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.deploy.strimzi.StrimziResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What every overlay must hold, checked on its rendering. */
class WorkloadTest {

    /** The arcstream services: Micronaut with the health endpoints. */
    static final List<String> SERVICES = List.of("ingest", "embedder", "trainer");
    /** Images from elsewhere that the manifests may use, by name without tag. */
    private static final Set<String> EXTERNAL_IMAGES = Set.of("apache/kafka");
    /** Micronaut's health endpoint and its liveness group: what a liveness or startup probe may ask. */

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#ALL")
    void everyArcstreamImageHasADockerfileAndNoImageNamesARegistryHost(String overlay) {
        for (Map<String, Object> workload : Rendering.of(overlay).workloads()) {
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                String where = overlay + " " + Kustomization.id(workload) + " " + container.get("name");
                ImageRef ref = ImageRef.parse(Tree.string(container, "image"));
                assertNull(ref.registryHost(), where + " names a registry host: " + ref);
                assertNotNull(ref.tag(), where + ": image without tag");
                assertNotEquals("latest", ref.tag(), where);
                if (ref.name().startsWith(ServiceImage.REPOSITORY)) {
                    ServiceImage.forImage(ref.name());
                } else {
                    assertTrue(EXTERNAL_IMAGES.contains(ref.name()), where + " uses an unexpected image " + ref);
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void servicesProbeHealthEndpointsTheyServeOnTheirConfiguredPort(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        for (String service : SERVICES) {
            Map<String, Object> container = Rendering.mainContainer(rendering.get("Deployment", service));
            String where = overlay + " " + service;
            ServiceConfig config = ServiceConfig.read(service);
            // Micronaut serves /health and its /liveness and /readiness groups when the endpoint is on; probes have no credentials
            assertEquals("true", config.values().get("endpoints.health.enabled"), where + ": health endpoint off");
            assertEquals("false", config.values().get("endpoints.health.sensitive"), where + ": health needs credentials");
            assertEquals("/health/liveness", Tree.string(container, "livenessProbe", "httpGet", "path"), where + " liveness");
            assertEquals("/health/readiness", Tree.string(container, "readinessProbe", "httpGet", "path"), where + " readiness");
            if (container.containsKey("startupProbe")) {
                assertEquals("/health/liveness", Tree.string(container, "startupProbe", "httpGet", "path"), where + " startup");
            }
            int serverPort = ServerPort.of(rendering, service);
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                if (container.containsKey(probe)) {
                    Object port = Tree.get(container, probe, "httpGet", "port");
                    assertEquals(Integer.valueOf(serverPort), containerPort(container, port),
                            where + " " + probe + " uses port " + port + ", not the server port " + serverPort);
                }
            }
            // the port the service listens on is the declared one and its image's EXPOSE
            int declared = Tree.maps(container, "ports").stream().mapToInt(p -> ((Number) p.get("containerPort")).intValue()).findFirst().orElseThrow();
            assertEquals(serverPort, declared, where + " declares " + declared + " but listens on " + serverPort);
            ServiceImage image = ServiceImage.forImage(ImageRef.parse(Tree.string(container, "image")).name());
            assertEquals(String.valueOf(declared), image.dockerfile().finalStage().last("EXPOSE"), where + " EXPOSE");
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyServiceSelectsOneDeploymentAndTargetsAPortItDeclares(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        List<Map<String, Object>> services = rendering.ofKind("Service");
        assertEquals(SERVICES.size(), services.size(), overlay + " services");
        for (Map<String, Object> service : services) {
            Map<String, Object> selector = Tree.map(service, "spec", "selector");
            assertFalse(selector.isEmpty(), "Service " + Rendering.name(service) + " selects every pod");
            List<Map<String, Object>> selected = rendering.ofKind("Deployment").stream()
                    .filter(d -> Tree.map(d, "spec", "template", "metadata", "labels").entrySet().containsAll(selector.entrySet()))
                    .toList();
            assertEquals(1, selected.size(), overlay + ": Service " + Rendering.name(service) + " selects " + selected.size() + " Deployments");
            Map<String, Object> deployment = selected.get(0);
            assertTrue(Tree.map(deployment, "spec", "selector", "matchLabels").entrySet().stream()
                    .allMatch(e -> e.getValue().equals(Tree.map(deployment, "spec", "template", "metadata", "labels").get(e.getKey()))),
                    Kustomization.id(deployment) + ": selector does not match its pod labels");
            for (Map<String, Object> port : Tree.maps(service, "spec", "ports")) {
                Object target = port.get("targetPort");
                boolean found = Rendering.containers(deployment).stream().anyMatch(c -> containerPort(c, target) != null);
                assertTrue(found, overlay + ": Service " + Rendering.name(service) + " targets port " + target
                        + ", which Deployment " + Rendering.name(deployment) + " does not declare");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#ALL")
    void everyContainerHasBoundedResourcesAndRunsUnprivileged(String overlay) {
        for (Map<String, Object> workload : Rendering.of(overlay).workloads()) {
            Map<String, Object> pod = Rendering.podSpec(workload);
            String id = overlay + " " + Kustomization.id(workload);
            assertEquals(Boolean.TRUE, Tree.get(pod, "securityContext", "runAsNonRoot"), id + " may run as root");
            assertNotEquals("0", Tree.string(pod, "securityContext", "runAsUser"), id);
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                String where = id + " " + container.get("name");
                for (String resource : List.of("cpu", "memory")) {
                    Object request = Tree.get(container, "resources", "requests", resource);
                    Object limit = Tree.get(container, "resources", "limits", resource);
                    assertNotNull(request, where + " requests no " + resource);
                    assertNotNull(limit, where + " has no " + resource + " limit");
                    assertTrue(Quantity.parse(request).compareTo(Quantity.parse(limit)) <= 0, where + " requests more " + resource + " than its limit");
                }
                assertEquals(Boolean.FALSE, Tree.get(container, "securityContext", "allowPrivilegeEscalation"), where);
                assertEquals(Boolean.TRUE, Tree.get(container, "securityContext", "readOnlyRootFilesystem"), where);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyReferenceResolvesInTheOverlay(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        for (Map<String, Object> workload : rendering.workloads()) {
            Map<String, Object> pod = Rendering.podSpec(workload);
            String id = overlay + " " + Kustomization.id(workload);
            Set<String> volumes = new HashSet<>();
            for (Map<String, Object> volume : Tree.maps(pod, "volumes")) {
                volumes.add(volume.get("name").toString());
                String configMap = Tree.string(volume, "configMap", "name");
                String claim = Tree.string(volume, "persistentVolumeClaim", "claimName");
                if (configMap != null) {
                    assertTrue(rendering.find("ConfigMap", configMap).isPresent(), id + " mounts missing ConfigMap " + configMap);
                }
                if (claim != null) {
                    assertTrue(rendering.find("PersistentVolumeClaim", claim).isPresent(), id + " mounts missing claim " + claim);
                }
            }
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                for (Map<String, Object> mount : Tree.maps(container, "volumeMounts")) {
                    assertTrue(volumes.contains(mount.get("name").toString()), id + " mounts undeclared volume " + mount.get("name"));
                }
                for (Map<String, Object> from : Tree.maps(container, "envFrom")) {
                    String configMap = Tree.string(from, "configMapRef", "name");
                    assertNotNull(configMap, id + ": only ConfigMaps are expected in envFrom");
                    assertTrue(rendering.find("ConfigMap", configMap).isPresent(), id + " reads missing ConfigMap " + configMap);
                }
                for (Map<String, Object> variable : Tree.maps(container, "env")) {
                    String keyMap = Tree.string(variable, "valueFrom", "configMapKeyRef", "name");
                    if (keyMap != null) {
                        String key = Tree.string(variable, "valueFrom", "configMapKeyRef", "key");
                        assertTrue(rendering.find("ConfigMap", keyMap).map(c -> Tree.map(c, "data").containsKey(key)).orElse(false),
                                id + " reads " + key + " of ConfigMap " + keyMap + ", which does not hold it");
                    }
                    String secret = Tree.string(variable, "valueFrom", "secretKeyRef", "name");
                    if (secret != null) {
                        assertTrue(rendering.find("Secret", secret).isPresent(), id + " reads missing Secret " + secret);
                    }
                }
            }
        }
        for (Map<String, Object> budget : rendering.ofKind("PodDisruptionBudget")) {
            Map<String, Object> selector = Tree.map(budget, "spec", "selector", "matchLabels");
            assertFalse(selector.isEmpty(), overlay + ": disruption budget " + Rendering.name(budget) + " without selector");
            assertTrue(rendering.ofKind("Deployment").stream().anyMatch(d ->
                    Tree.map(d, "spec", "template", "metadata", "labels").entrySet().containsAll(selector.entrySet())),
                    overlay + ": disruption budget " + Rendering.name(budget) + " selects no pods");
        }
        for (Map<String, Object> autoscaler : rendering.ofKind("HorizontalPodAutoscaler")) {
            String target = Tree.string(autoscaler, "spec", "scaleTargetRef", "name");
            assertEquals("Deployment", Tree.string(autoscaler, "spec", "scaleTargetRef", "kind"));
            assertTrue(rendering.find("Deployment", target).isPresent(), overlay + ": autoscaler of missing Deployment " + target);
        }
        for (Map<String, Object> scaledObject : rendering.ofKind("ScaledObject")) {
            String target = Tree.string(scaledObject, "spec", "scaleTargetRef", "name");
            assertTrue(rendering.find("Deployment", target).isPresent(), overlay + ": ScaledObject of missing Deployment " + target);
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void theEmbedderNeverScalesBeyondThePartitionsOfFrames(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        int partitions = StrimziResources.read().partitions("frames");
        Map<String, Object> embedder = rendering.get("Deployment", "embedder");
        int replicas = ((Number) Tree.get(embedder, "spec", "replicas")).intValue();
        assertTrue(replicas >= 1 && replicas <= partitions, overlay + ": " + replicas + " embedders for " + partitions + " partitions");
        for (Map<String, Object> autoscaler : rendering.ofKind("HorizontalPodAutoscaler")) {
            if ("embedder".equals(Tree.string(autoscaler, "spec", "scaleTargetRef", "name"))) {
                int max = ((Number) Tree.get(autoscaler, "spec", "maxReplicas")).intValue();
                assertTrue(max <= partitions, overlay + ": the autoscaler may run " + max + " embedders for " + partitions + " partitions");
            }
        }
        for (Map<String, Object> scaledObject : rendering.ofKind("ScaledObject")) {
            if ("embedder".equals(Tree.string(scaledObject, "spec", "scaleTargetRef", "name"))) {
                int max = ((Number) Tree.get(scaledObject, "spec", "maxReplicaCount")).intValue();
                assertTrue(max <= partitions, overlay + ": KEDA may run " + max + " embedders for " + partitions + " partitions");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void theTrainerKeepsItsModelsOnItsVolumeAndNeverRunsTwice(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        Map<String, Object> trainer = rendering.get("Deployment", "trainer");
        assertEquals(1, ((Number) Tree.get(trainer, "spec", "replicas")).intValue());
        // a rolling update would start a second pod on a ReadWriteOnce volume
        assertEquals("Recreate", Tree.string(trainer, "spec", "strategy", "type"));
        List<String> claims = new ArrayList<>();
        for (Map<String, Object> volume : Tree.maps(Rendering.podSpec(trainer), "volumes")) {
            String claim = Tree.string(volume, "persistentVolumeClaim", "claimName");
            if (claim != null) {
                claims.add(claim);
            }
        }
        assertEquals(List.of("trainer-store"), claims);
    }

    /** The value of a plain env entry of the container, or null. */
    static String env(Map<String, Object> container, String name) {
        return Tree.maps(container, "env").stream().filter(e -> name.equals(e.get("name")))
                .map(e -> Tree.string(e, "value")).findFirst().orElse(null);
    }

    /** The container port a probe or service port refers to, by name or number; null when there is none. */
    static Integer containerPort(Map<String, Object> container, Object reference) {
        for (Map<String, Object> port : Tree.maps(container, "ports")) {
            if (reference instanceof Number n && n.intValue() == ((Number) port.get("containerPort")).intValue()
                    || reference instanceof String s && s.equals(port.get("name"))) {
                return ((Number) port.get("containerPort")).intValue();
            }
        }
        return null;
    }

    static BigDecimal quantity(Map<String, Object> container, String section, String resource) {
        Object value = Tree.get(container, "resources", section, resource);
        return value == null ? BigDecimal.ZERO : Quantity.parse(value);
    }
}
