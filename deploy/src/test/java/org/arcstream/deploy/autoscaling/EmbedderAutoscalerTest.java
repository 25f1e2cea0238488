package org.arcstream.deploy.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.util.List;
import java.util.Map;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.deploy.strimzi.StrimziResources;
import org.arcstream.deploy.topics.TopicsConf;
import org.arcstream.deploy.typed.Keda;
import org.arcstream.deploy.typed.TypedObjects;
import org.arcstream.deploy.workloads.ServiceConfig;
import org.arcstream.deploy.workloads.ServiceTopics;
import org.junit.jupiter.api.Test;

/** The cpu overlay scales the embedder on its consumer lag on frames, with KEDA, within the partitions of frames. */
class EmbedderAutoscalerTest {

    private static final Rendering CPU = Rendering.of("cpu");

    static Keda.ScaledObject scaledObject() {
        List<Map<String, Object>> scaledObjects = CPU.ofKind("ScaledObject");
        assertEquals(1, scaledObjects.size(), "cpu ScaledObjects");
        return TypedObjects.parse(scaledObjects.get(0), Keda.ScaledObject.class);
    }

    static Keda.ScaleTrigger lagTrigger() {
        List<Keda.ScaleTrigger> triggers = scaledObject().spec().triggers();
        assertEquals(1, triggers.size(), "one trigger: the lag");
        assertEquals("kafka", triggers.get(0).type());
        return triggers.get(0);
    }

    @Test
    void theEmbedderScalesOnTheLagOfItsConsumerGroupOnFrames() {
        Keda.ScaledObject scaledObject = scaledObject();
        assertEquals("embedder", scaledObject.spec().scaleTargetRef().name());
        assertTrue(CPU.find("Deployment", "embedder").isPresent());
        // KEDA owns the embedder's HorizontalPodAutoscaler: a second one would fight it
        assertTrue(CPU.ofKind("HorizontalPodAutoscaler").isEmpty(), "an HPA beside the ScaledObject");
        Map<String, String> metadata = lagTrigger().metadata();
        assertEquals(applicationId(), metadata.get("consumerGroup"), "the embedder's consumer group is its application id");
        assertEquals(ServiceTopics.of("embedder").get("embedder.topics.frames"), metadata.get("topic"));
        assertTrue(Integer.parseInt(metadata.get("lagThreshold")) > 0);
        assertEquals("false", metadata.get("allowIdleConsumers"), "replicas beyond the partitions with work would idle");
    }

    @Test
    void theAutoscalerReadsTheEmbeddersBootstrapAddress() {
        Keda.ScaledObject scaledObject = scaledObject();
        String variable = lagTrigger().metadata().get("bootstrapServersFromEnv");
        assertNotNull(variable, "the bootstrap address should come from the embedder's environment, not a second copy");
        String containerName = scaledObject.spec().scaleTargetRef().envSourceContainerName();
        Map<String, Object> container = Rendering.containers(CPU.get("Deployment", "embedder")).stream()
                .filter(c -> c.get("name").equals(containerName)).findFirst().orElseThrow(() -> new AssertionError("no container " + containerName));
        Map<String, Object> entry = Tree.maps(container, "env").stream().filter(e -> variable.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(containerName + " has no variable " + variable));
        assertEquals("KAFKA_BOOTSTRAP_SERVERS", Tree.string(entry, "valueFrom", "configMapKeyRef", "key"));
    }

    @Test
    void theEmbedderNeverScalesBeyondThePartitionsOfFrames() {
        Keda.ScaledObjectSpec spec = scaledObject().spec();
        int partitions = TopicsConf.of(Rendering.topicsJob()).topic("frames").partitions();
        assertTrue(spec.minReplicaCount() >= 1 && spec.minReplicaCount() <= spec.maxReplicaCount());
        assertTrue(spec.maxReplicaCount() <= partitions, spec.maxReplicaCount() + " embedders for " + partitions + " partitions");
        int strimziPartitions = StrimziResources.read().topics().stream().filter(t -> StrimziResources.topicName(t).equals("frames"))
                .findFirst().orElseThrow().getSpec().getPartitions();
        assertTrue(spec.maxReplicaCount() <= strimziPartitions);
    }

    @Test
    void theTriggersCredentialsExist() {
        Keda.TriggerAuthentication auth = authentication();
        assertEquals("scram_sha512", lagTrigger().metadata().get("sasl"));
        assertEquals("enable", lagTrigger().metadata().get("tls"));
        for (Keda.AuthTargetRef ref : auth.spec().configMaps()) {
            Map<String, Object> configMap = CPU.find("ConfigMap", ref.name()).orElseThrow(() -> new AssertionError("no ConfigMap " + ref.name()));
            assertNotNull(Tree.string(configMap, "data", ref.key()), ref.name() + " has no key " + ref.key());
        }
        String clusterCa = StrimziResources.read().kafka().getMetadata().getName() + "-cluster-ca-cert";
        for (Keda.AuthTargetRef ref : auth.spec().secrets()) {
            // Secrets the Strimzi operators write: the cluster CA, and one per KafkaUser (checked below)
            if (ref.parameter().equals("ca")) {
                assertEquals(clusterCa, ref.name());
                assertEquals("ca.crt", ref.key());
            } else {
                assertEquals("password", ref.parameter());
                assertEquals("password", ref.key());
            }
        }
        assertEquals(List.of("ca", "password", "username"), parameters(auth));
    }

    @Test
    void theTriggersUserIsAScramKafkaUserOfTheCluster() {
        List<KafkaUser> users = StrimziResources.read().users();
        assumeTrue(!users.isEmpty(), "deploy/strimzi holds no KafkaUser yet");
        Keda.TriggerAuthentication auth = authentication();
        String secret = auth.spec().secrets().stream().filter(r -> r.parameter().equals("password")).findFirst().orElseThrow().name();
        Keda.AuthTargetRef usernameRef = auth.spec().configMaps().stream().filter(r -> r.parameter().equals("username")).findFirst().orElseThrow();
        String username = Tree.string(CPU.get("ConfigMap", usernameRef.name()), "data", usernameRef.key());
        KafkaUser user = users.stream().filter(u -> u.getMetadata().getName().equals(secret)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaUser " + secret + " writes the Secret the autoscaler reads"));
        assertEquals(user.getMetadata().getName(), username, "the user name of a SCRAM KafkaUser is its name");
        assertTrue(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication, secret + " is no SCRAM user");
    }

    private static Keda.TriggerAuthentication authentication() {
        String name = lagTrigger().authenticationRef().name();
        return TypedObjects.parse(CPU.get("TriggerAuthentication", name), Keda.TriggerAuthentication.class);
    }

    private static List<String> parameters(Keda.TriggerAuthentication auth) {
        return java.util.stream.Stream.concat(auth.spec().secrets().stream(), auth.spec().configMaps().stream())
                .map(Keda.AuthTargetRef::parameter).sorted().toList();
    }

    private static String applicationId() {
        String configured = ServiceConfig.read("embedder").values().get("embedder.kafka.application-id");
        Map<String, Object> container = Rendering.mainContainer(CPU.get("Deployment", "embedder"));
        return Tree.maps(container, "env").stream().filter(e -> "EMBEDDER_KAFKA_APPLICATION_ID".equals(e.get("name")))
                .map(e -> Tree.string(e, "value")).findFirst().orElse(configured);
    }
}
