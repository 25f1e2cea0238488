package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A model the trainer announces reaches the embedders: the URL the trainer puts in its events
 * ({@code TRAINER_PUBLISH_BASE_URL}) is on the one host the embedders may fetch from
 * ({@code EMBEDDER_MODELS_DOWNLOAD_HTTP_HOSTS}), names the trainer's Service, and the Service's port leads to the port
 * the trainer listens on. A mismatch would leave every published model refused by every embedder.
 */
class ModelDeliveryTest {

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void theEmbeddersMayFetchFromWhereTheTrainerAnnouncesItsModels(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        String baseUrl = variable(rendering, "trainer", "TRAINER_PUBLISH_BASE_URL");
        String hosts = variable(rendering, "embedder", "EMBEDDER_MODELS_DOWNLOAD_HTTP_HOSTS");
        List<String> allowed = List.of(hosts.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).map(ModelDeliveryTest::origin).toList();
        assertEquals(List.of(origin(baseUrl)), allowed, overlay + ": the embedders may fetch from exactly the trainer's origin");

        URI base = URI.create(baseUrl);
        Map<String, Object> service = rendering.get("Service", "trainer");
        String namespace = Tree.string(service, "metadata", "namespace");
        assertNotNull(namespace, overlay + ": the trainer's Service has a namespace");
        assertTrue(List.of("trainer", "trainer." + namespace, "trainer." + namespace + ".svc", "trainer." + namespace + ".svc.cluster.local")
                .contains(base.getHost()), overlay + ": " + baseUrl + " names the trainer's Service in namespace " + namespace);

        int port = base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        Map<String, Object> servicePort = Tree.maps(service, "spec", "ports").stream()
                .filter(p -> Integer.parseInt(String.valueOf(p.get("port"))) == port).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": the trainer's Service has no port " + port + " (" + baseUrl + ")"));
        assertEquals(ServerPort.of(rendering, "trainer"), containerPort(rendering, servicePort.get("targetPort")),
                overlay + ": Service port " + port + " leads to the port the trainer listens on");
    }

    private static String variable(Rendering rendering, String service, String name) {
        Map<String, Object> container = Rendering.mainContainer(rendering.get("Deployment", service));
        String value = EnvironmentTest.environment(rendering, container).get(name);
        assertNotNull(value, service + " gets no " + name);
        return value;
    }

    /** A target port by number, or by the name of a port the trainer's container declares. */
    private static int containerPort(Rendering rendering, Object targetPort) {
        if (targetPort == null) {
            throw new AssertionError("the trainer's Service port has no targetPort");
        }
        String target = targetPort.toString();
        if (target.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(target);
        }
        Map<String, Object> container = Rendering.mainContainer(rendering.get("Deployment", "trainer"));
        return Tree.maps(container, "ports").stream().filter(p -> target.equals(p.get("name")))
                .map(p -> Integer.parseInt(String.valueOf(p.get("containerPort")))).findFirst()
                .orElseThrow(() -> new AssertionError("the trainer's container declares no port named " + target));
    }

    /** scheme://host:port with the scheme's port made explicit, as the embedder compares them. */
    private static String origin(String url) {
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
