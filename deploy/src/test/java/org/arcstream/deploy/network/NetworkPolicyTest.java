package org.arcstream.deploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.deploy.strimzi.StrimziResources;
import org.arcstream.deploy.typed.TypedObjects;
import org.arcstream.deploy.workloads.ServerPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The flows the NetworkPolicies allow, derived from the policy objects, against the table of deploy/README.md
 * ("Network policies"). A flow between two arcstream pods needs both the sender's egress and the receiver's
 * ingress; a flow to or from outside needs the arcstream side's rule.
 */
class NetworkPolicyTest {

    static final String KAFKA = "kafka-brokers";
    static final String DNS = "kube-dns";
    static final String OUTSIDE = "outside";
    static final String MONITORING = "namespace monitoring";
    static final String INGRESS = "namespace ingress-nginx";

    /** A flow: who opens the connection, to whom, on which protocol and port. */
    record Flow(String from, String to, String port) implements Comparable<Flow> {
        @Override
        public int compareTo(Flow other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return from + " -> " + to + " " + port;
        }
    }

    /** The table: every service -> Kafka, HTTP from Prometheus and the ingress, embedders -> trainer, DNS, models, cameras. */
    static Set<Flow> expected(Rendering rendering) {
        String kafka = "TCP/" + StrimziResources.read().kafka().getSpec().getKafka().getListeners().get(0).getPort();
        String embedderHttp = "TCP/" + ServerPort.of(rendering, "embedder");
        String trainerHttp = "TCP/" + ServerPort.of(rendering, "trainer");
        Set<Flow> flows = new TreeSet<>();
        for (String pod : List.of("ingest", "embedder", "trainer", "topics")) {
            flows.add(new Flow(pod, KAFKA, kafka));
            flows.add(new Flow(pod, DNS, "UDP/53"));
            flows.add(new Flow(pod, DNS, "TCP/53"));
        }
        for (String client : List.of(MONITORING, INGRESS)) {
            flows.add(new Flow(client, "embedder", embedderHttp));
            flows.add(new Flow(client, "trainer", trainerHttp));
        }
        flows.add(new Flow("embedder", "trainer", trainerHttp));
        // the models init container's npm
        flows.add(new Flow("embedder", OUTSIDE, "TCP/443"));
        flows.add(new Flow("trainer", OUTSIDE, "TCP/443"));
        // cameras: RTSP, MJPEG over HTTP(S)
        for (String port : List.of("TCP/554", "TCP/80", "TCP/443")) {
            flows.add(new Flow("ingest", OUTSIDE, port));
        }
        return flows;
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void thePoliciesAllowExactlyTheFlowsOfTheTable(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        assertEquals(expected(rendering), allowed(rendering), overlay);
    }

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyPodIsDeniedEverythingElse(String overlay) {
        Rendering rendering = Rendering.of(overlay);
        Map<String, Map<String, String>> pods = pods(rendering);
        for (String pod : pods.keySet()) {
            boolean denied = policies(rendering).stream().anyMatch(p -> selects(p.getSpec().getPodSelector(), pods.get(pod))
                    && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                    && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty());
            assertTrue(denied, overlay + ": no default-deny policy selects " + pod);
        }
    }

    @Test
    void aPolicyThatOpensMoreIsSeen() {
        Rendering rendering = Rendering.of("cpu");
        NetworkPolicy open = TypedObjects.parse(Map.of("apiVersion", "networking.k8s.io/v1", "kind", "NetworkPolicy",
                "metadata", Map.of("name", "x"), "spec", Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "ingest")),
                        "policyTypes", List.of("Egress"), "egress", List.of(Map.of("to", List.of(Map.of("podSelector",
                                Map.of("matchLabels", Map.of("app.kubernetes.io/name", "trainer")))))))), NetworkPolicy.class);
        NetworkPolicy trainerIngress = policies(rendering).stream().filter(p -> p.getMetadata().getName().equals("trainer-http")).findFirst().orElseThrow();
        List<NetworkPolicy> policies = new ArrayList<>(policies(rendering));
        policies.add(open);
        Set<Flow> flows = allowed(pods(rendering), policies);
        // the trainer's ingress still limits who reaches it: ingest gets no flow to the trainer
        assertTrue(flows.stream().noneMatch(f -> f.from().equals("ingest") && f.to().equals("trainer")), flows.toString());
        // without the trainer's ingress rule, nobody reaches it
        policies.remove(trainerIngress);
        assertTrue(allowed(pods(rendering), policies).stream().noneMatch(f -> f.to().equals("trainer")));
    }

    static List<NetworkPolicy> policies(Rendering rendering) {
        return rendering.ofKind("NetworkPolicy").stream().map(p -> TypedObjects.parse(p, NetworkPolicy.class)).toList();
    }

    static Set<Flow> allowed(Rendering rendering) {
        return allowed(pods(rendering), policies(rendering));
    }

    /**
     * Pod labels by the name of the workload (its app.kubernetes.io/name label): the overlay's and the topics Job's,
     * which runs beside it under the overlay's policies where no Strimzi topic operator creates the topics.
     */
    static Map<String, Map<String, String>> pods(Rendering rendering) {
        Map<String, Map<String, String>> pods = new LinkedHashMap<>();
        List<Map<String, Object>> workloads = new ArrayList<>(rendering.workloads());
        workloads.addAll(Rendering.topicsJob().workloads());
        for (Map<String, Object> workload : workloads) {
            Map<String, String> labels = new LinkedHashMap<>();
            Tree.map(workload, "spec", "template", "metadata", "labels").forEach((k, v) -> labels.put(k, v.toString()));
            pods.put(labels.get("app.kubernetes.io/name"), labels);
        }
        return pods;
    }

    static Set<Flow> allowed(Map<String, Map<String, String>> pods, List<NetworkPolicy> policies) {
        Set<Flow> egress = new TreeSet<>();
        Set<Flow> ingress = new TreeSet<>();
        for (NetworkPolicy policy : policies) {
            List<String> selected = pods.keySet().stream().filter(p -> selects(policy.getSpec().getPodSelector(), pods.get(p))).toList();
            for (var rule : policy.getSpec().getEgress()) {
                for (String to : peers(rule.getTo(), pods)) {
                    for (String from : selected) {
                        ports(rule.getPorts(), pods.containsKey(to) ? to : null).forEach(port -> egress.add(new Flow(from, to, port)));
                    }
                }
            }
            for (var rule : policy.getSpec().getIngress()) {
                for (String from : peers(rule.getFrom(), pods)) {
                    for (String to : selected) {
                        ports(rule.getPorts(), to).forEach(port -> ingress.add(new Flow(from, to, port)));
                    }
                }
            }
        }
        Set<Flow> flows = new TreeSet<>();
        for (Flow flow : egress) {
            if (!pods.containsKey(flow.to()) || ingress.contains(flow)) {
                flows.add(flow);
            }
        }
        for (Flow flow : ingress) {
            if (!pods.containsKey(flow.from())) {
                flows.add(flow);
            }
        }
        return flows;
    }

    /** The endpoints a rule's peers name; an empty list of peers would be everyone, which no rule here may say. */
    private static List<String> peers(List<NetworkPolicyPeer> peers, Map<String, Map<String, String>> pods) {
        if (peers.isEmpty()) {
            return List.of("anyone");
        }
        List<String> names = new ArrayList<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                names.add(OUTSIDE);
            } else if (peer.getNamespaceSelector() != null) {
                names.addAll(namespaces(peer));
            } else {
                Map<String, String> labels = peer.getPodSelector().getMatchLabels();
                if (labels != null && labels.containsKey("strimzi.io/cluster")) {
                    assertEquals("true", labels.get("strimzi.io/broker-role"), "a Kafka peer other than the brokers: " + labels);
                    names.add(KAFKA);
                } else {
                    List<String> matched = pods.keySet().stream().filter(p -> selects(peer.getPodSelector(), pods.get(p))).toList();
                    assertTrue(!matched.isEmpty(), "a peer selects no pod: " + peer.getPodSelector());
                    names.addAll(matched);
                }
            }
        }
        return names;
    }

    private static List<String> namespaces(NetworkPolicyPeer peer) {
        LabelSelector selector = peer.getNamespaceSelector();
        List<String> namespaces = new ArrayList<>();
        if (selector.getMatchLabels() != null && selector.getMatchLabels().containsKey("kubernetes.io/metadata.name")) {
            namespaces.add(selector.getMatchLabels().get("kubernetes.io/metadata.name"));
        }
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
            assertEquals("kubernetes.io/metadata.name", requirement.getKey());
            assertEquals("In", requirement.getOperator());
            namespaces.addAll(requirement.getValues());
        }
        assertTrue(!namespaces.isEmpty(), "a namespace selector that names no namespace selects them all: " + selector);
        if (peer.getPodSelector() != null) {
            assertEquals(List.of("kube-system"), namespaces, "pods of another namespace: only DNS");
            assertEquals(Map.of("k8s-app", "kube-dns"), peer.getPodSelector().getMatchLabels());
            return List.of(DNS);
        }
        return namespaces.stream().map(n -> "namespace " + n).toList();
    }

    /** Ports as PROTOCOL/number ("any port" for a rule without ports); a named port is resolved on the pod it refers to. */
    private static List<String> ports(List<NetworkPolicyPort> ports, String pod) {
        if (ports.isEmpty()) {
            return List.of("any port");
        }
        List<String> resolved = new ArrayList<>();
        for (NetworkPolicyPort port : ports) {
            IntOrString value = port.getPort();
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
            if (value.getIntVal() != null) {
                resolved.add(protocol + "/" + value.getIntVal());
            } else {
                assertTrue(pod != null, "named port " + value.getStrVal() + " towards a peer outside the namespace's workloads");
                resolved.add(protocol + "/" + namedPort(pod, value.getStrVal()));
            }
        }
        return resolved;
    }

    private static int namedPort(String pod, String name) {
        for (String overlay : Rendering.OVERLAYS) {
            for (Map<String, Object> container : Rendering.containers(Rendering.of(overlay).get("Deployment", pod))) {
                for (Map<String, Object> port : Tree.maps(container, "ports")) {
                    if (name.equals(port.get("name"))) {
                        return ((Number) port.get("containerPort")).intValue();
                    }
                }
            }
        }
        throw new AssertionError(pod + " declares no port " + name);
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
            String value = labels.get(requirement.getKey());
            boolean ok = switch (requirement.getOperator()) {
                case "In" -> requirement.getValues().contains(value);
                case "NotIn" -> !requirement.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("operator " + requirement.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
