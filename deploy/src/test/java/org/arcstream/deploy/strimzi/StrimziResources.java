package org.arcstream.deploy.strimzi;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.arcstream.deploy.Repository;
import org.arcstream.deploy.kustomize.YamlFiles;
import org.arcstream.deploy.typed.TypedObjects;

/** Every document of every YAML file in deploy/strimzi, parsed by its kind into Strimzi's typed models. */
public record StrimziResources(List<Object> objects) {

    public static StrimziResources read() {
        List<Object> objects = new ArrayList<>();
        for (Path file : files()) {
            try {
                objects.addAll(TypedObjects.parseAll(YamlFiles.documents(file)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return new StrimziResources(objects);
    }

    public static List<Path> files() {
        try (Stream<Path> files = Files.list(Repository.strimzi())) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one Kafka cluster. */
    public Kafka kafka() {
        List<Kafka> clusters = TypedObjects.ofType(objects, Kafka.class);
        if (clusters.size() != 1) {
            throw new AssertionError("deploy/strimzi defines " + clusters.size() + " Kafka clusters, expected 1");
        }
        return clusters.get(0);
    }

    public List<KafkaNodePool> nodePools() {
        return TypedObjects.ofType(objects, KafkaNodePool.class);
    }

    public List<KafkaTopic> topics() {
        return TypedObjects.ofType(objects, KafkaTopic.class);
    }

    public List<KafkaUser> users() {
        return TypedObjects.ofType(objects, KafkaUser.class);
    }

    /** The partitions of the KafkaTopic of that topic name. */
    public int partitions(String topic) {
        return topics().stream().filter(t -> topicName(t).equals(topic)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic creates " + topic)).getSpec().getPartitions();
    }

    /** The name of a topic: spec.topicName when set, else the resource's name (as the topic operator does). */
    public static String topicName(KafkaTopic topic) {
        String name = topic.getSpec().getTopicName();
        return name != null ? name : topic.getMetadata().getName();
    }
}
