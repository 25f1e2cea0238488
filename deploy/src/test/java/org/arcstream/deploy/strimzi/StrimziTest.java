package org.arcstream.deploy.strimzi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.arcstream.deploy.topics.TopicsConf;
import org.arcstream.deploy.workloads.ServiceTopics;
import org.junit.jupiter.api.Test;

/** The Strimzi cluster, its topics against the topics Job's table and the services' topics, and the services' bootstrap address. */
class StrimziTest {

    private static final StrimziResources STRIMZI = StrimziResources.read();

    @Test
    void theClusterRunsKraftNodePoolsWithATlsScramListenerAndAcls() {
        Kafka kafka = STRIMZI.kafka();
        String cluster = kafka.getMetadata().getName();
        List<KafkaNodePool> pools = STRIMZI.nodePools();
        Set<ProcessRoles> roles = EnumSet.noneOf(ProcessRoles.class);
        int controllers = 0;
        int brokers = 0;
        for (KafkaNodePool pool : pools) {
            assertEquals(cluster, pool.getMetadata().getLabels().get("strimzi.io/cluster"), pool.getMetadata().getName());
            roles.addAll(pool.getSpec().getRoles());
            controllers += pool.getSpec().getRoles().contains(ProcessRoles.CONTROLLER) ? pool.getSpec().getReplicas() : 0;
            brokers += pool.getSpec().getRoles().contains(ProcessRoles.BROKER) ? pool.getSpec().getReplicas() : 0;
        }
        assertEquals(EnumSet.allOf(ProcessRoles.class), roles, "KRaft needs controller and broker pools");
        assertTrue(controllers % 2 == 1 && controllers >= 3, controllers + " controllers: a quorum survives one loss with 3");
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        int minIsr = Integer.parseInt(config.get("min.insync.replicas").toString());
        int replication = Integer.parseInt(config.get("default.replication.factor").toString());
        assertTrue(brokers >= replication && replication > minIsr, brokers + " brokers, replication " + replication + ", min ISR " + minIsr);

        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertFalse(listeners.isEmpty());
        for (GenericKafkaListener listener : listeners) {
            assertTrue(listener.isTls(), listener.getName() + " is not TLS");
            assertTrue(listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512, listener.getName() + " does not ask for SCRAM-SHA-512");
        }
        assertTrue(kafka.getSpec().getKafka().getAuthorization() instanceof KafkaAuthorizationSimple, "ACLs are not enforced");
        assertEquals("false", String.valueOf(config.get("auto.create.topics.enable")));
        assertNotNull(kafka.getSpec().getEntityOperator().getTopicOperator(), "no topic operator for the KafkaTopics");
        assertNotNull(kafka.getSpec().getEntityOperator().getUserOperator(), "no user operator for the KafkaUsers");
    }

    @Test
    void theServicesBootstrapFromTheClustersListener() {
        Kafka kafka = STRIMZI.kafka();
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().get(0);
        String expected = kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort();
        for (String overlay : Rendering.OVERLAYS) {
            Map<String, Object> configMap = Rendering.of(overlay).get("ConfigMap", "arcstream-kafka");
            assertEquals(expected, Tree.string(configMap, "data", "KAFKA_BOOTSTRAP_SERVERS"), overlay);
        }
    }

    @Test
    void everyResourceLivesInTheServicesNamespaceAndBelongsToTheCluster() {
        String cluster = STRIMZI.kafka().getMetadata().getName();
        for (KafkaTopic topic : STRIMZI.topics()) {
            assertEquals(cluster, topic.getMetadata().getLabels().get("strimzi.io/cluster"), topic.getMetadata().getName());
            assertEquals("arcstream", topic.getMetadata().getNamespace(), topic.getMetadata().getName());
        }
        STRIMZI.users().forEach(user -> assertEquals(cluster, user.getMetadata().getLabels().get("strimzi.io/cluster"), user.getMetadata().getName()));
        assertEquals("arcstream", STRIMZI.kafka().getMetadata().getNamespace());
    }

    @Test
    void theKafkaTopicsAreTheTopicsJobsTable() {
        TopicsConf table = TopicsConf.of(Rendering.topicsJob());
        Map<String, TopicsConf.Topic> expected = new TreeMap<>();
        table.topics().forEach(t -> expected.put(t.name(), t));
        Map<String, TopicsConf.Topic> actual = new TreeMap<>();
        int replicas = Integer.parseInt(STRIMZI.kafka().getSpec().getKafka().getConfig().get("default.replication.factor").toString());
        for (KafkaTopic topic : STRIMZI.topics()) {
            Map<String, String> configs = new LinkedHashMap<>();
            topic.getSpec().getConfig().forEach((k, v) -> configs.put(k, v.toString()));
            actual.put(StrimziResources.topicName(topic), new TopicsConf.Topic(StrimziResources.topicName(topic), topic.getSpec().getPartitions(), configs));
            assertEquals(replicas, topic.getSpec().getReplicas(), StrimziResources.topicName(topic) + " replicas");
        }
        assertEquals(expected, actual);
    }

    @Test
    void everyTopicAServiceNamesHasAKafkaTopicWithThePartitionsItNeeds() {
        Set<String> topics = STRIMZI.topics().stream().map(StrimziResources::topicName).collect(Collectors.toSet());
        for (String service : List.of("ingest", "embedder", "trainer")) {
            ServiceTopics.of(service).forEach((key, topic) ->
                    assertTrue(topics.contains(topic), service + " " + key + " = " + topic + ", which no KafkaTopic creates"));
        }
        // one partition keeps an identity's samples and deletes in order; the embedder refuses more
        Map<String, Integer> partitions = STRIMZI.topics().stream()
                .collect(Collectors.toMap(StrimziResources::topicName, t -> t.getSpec().getPartitions()));
        String enrollment = ServiceTopics.of("embedder").get("embedder.topics.enrollment");
        assertEquals(1, partitions.get(enrollment), enrollment);
        // the embedder scales up to the partitions of frames
        assertTrue(partitions.get(ServiceTopics.of("embedder").get("embedder.topics.frames")) >= 2);
    }
}
