package org.arcstream.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Least privilege on the topics: one principal per service and what each may do, as Kafka ACLs. The same
 * table is in docs/security.md and, as Strimzi {@code KafkaUser} resources, in deploy/strimzi. No principal
 * may create topics (they are created by an administrator, or the topics job) or touch another's.
 *
 * @param embedderApplicationId the embedder's Kafka Streams application id: its consumer group, and the
 *     prefix of its transactional ids and internal (changelog, repartition) topics
 * @param readerGroup the consumer group of an application reading matches
 * @param recognitions the embedder's confident recognitions, which the trainer reads
 */
public record ServiceAcls(String frames, String faces, String matches, String deadLetter, String enrollment, String centroids,
        String models, String activeModel, String labels, String embedderApplicationId, String readerGroup, String recognitions) {

    /** The ingest service and command: writes camera frames. */
    public static final String INGEST = "ingest";
    /** The embedder service: its stream, its admin API (enroll, delete) and its model hot swap. */
    public static final String EMBEDDER = "embedder";
    /** {@code arcstream enroll}: writes enrollment samples and watches matching take them up. */
    public static final String ADMIN = "admin";
    /** The trainer service and {@code arcstream train}: reads enrollment crops and the model the embedders use, announces models. */
    public static final String TRAINER = "trainer";
    /** An application reading matches and dead letters (the demo reads them as one). */
    public static final String READER = "matches-reader";

    /** These names with the shipped name of the recognitions topic. */
    public ServiceAcls(String frames, String faces, String matches, String deadLetter, String enrollment, String centroids,
            String models, String activeModel, String labels, String embedderApplicationId, String readerGroup) {
        this(frames, faces, matches, deadLetter, enrollment, centroids, models, activeModel, labels, embedderApplicationId, readerGroup,
                "recognitions");
    }

    /** The shipped topic names and application id. */
    public static ServiceAcls defaults() {
        return new ServiceAcls("frames", "faces", "matches", "dead-letter", "enrollment", "centroids", "models", "active-model",
                "labels", "arcstream-embedder", READER, "recognitions");
    }

    /** Every principal's ACLs, by principal name (without the {@code User:} prefix). */
    public Map<String, List<AclBinding>> byPrincipal() {
        Map<String, List<AclBinding>> acls = new LinkedHashMap<>();
        acls.put(INGEST, new Grants(INGEST)
                .topic(frames, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS) // the size check reads max.message.bytes
                .list());
        acls.put(EMBEDDER, new Grants(EMBEDDER)
                .topic(frames, AclOperation.READ)
                // the admin API and the hot swap's re-embedding write samples; segment.ms paces the closing of segments
                .topic(enrollment, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)
                .topic(centroids, AclOperation.READ, AclOperation.WRITE)
                // the console reads what the stream wrote, outside any consumer group
                .topic(faces, AclOperation.READ, AclOperation.WRITE)
                .topic(matches, AclOperation.READ, AclOperation.WRITE)
                .topic(deadLetter, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)
                .topic(models, AclOperation.READ)
                .topic(activeModel, AclOperation.READ, AclOperation.WRITE)
                .topic(labels, AclOperation.WRITE) // the console's marked mistakes
                // confident recognitions kept for training (embedder.learning); a person's deletion reads the topic for their keys
                .topic(recognitions, AclOperation.READ, AclOperation.WRITE)
                // Kafka Streams with exactly_once_v2: its internal topics, group and transactions all carry the application id
                .prefixed(ResourceType.TOPIC, embedderApplicationId, AclOperation.ALL)
                .prefixed(ResourceType.GROUP, embedderApplicationId, AclOperation.READ)
                .prefixed(ResourceType.TRANSACTIONAL_ID, embedderApplicationId, AclOperation.WRITE)
                .list());
        acls.put(ADMIN, new Grants(ADMIN)
                .topic(enrollment, AclOperation.WRITE)
                .topic(centroids, AclOperation.READ)
                .topic(activeModel, AclOperation.READ)
                // the command checks that the embedder's topics exist before it enrolls
                .topic(frames, AclOperation.DESCRIBE)
                .topic(faces, AclOperation.DESCRIBE)
                .topic(matches, AclOperation.DESCRIBE)
                .topic(deadLetter, AclOperation.DESCRIBE)
                .list());
        acls.put(TRAINER, new Grants(TRAINER)
                .topic(enrollment, AclOperation.READ)
                .topic(recognitions, AclOperation.READ)
                .topic(labels, AclOperation.READ) // a recognition marked wrong is not trained on
                // it reads models to find a model it stored but never announced, and active-model to start where the embedders are
                .topic(models, AclOperation.READ, AclOperation.WRITE)
                .topic(activeModel, AclOperation.READ)
                .list());
        acls.put(READER, new Grants(READER)
                .topic(matches, AclOperation.READ)
                .topic(deadLetter, AclOperation.READ)
                .literal(ResourceType.GROUP, readerGroup, AclOperation.READ)
                .list());
        return acls;
    }

    /** All ACLs of {@link #byPrincipal()}. */
    public List<AclBinding> all() {
        return byPrincipal().values().stream().flatMap(List::stream).toList();
    }

    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = "User:" + principal;
        }

        Grants topic(String topic, AclOperation... operations) {
            return literal(ResourceType.TOPIC, topic, operations);
        }

        Grants literal(ResourceType type, String name, AclOperation... operations) {
            return add(new ResourcePattern(type, name, PatternType.LITERAL), operations);
        }

        Grants prefixed(ResourceType type, String prefix, AclOperation... operations) {
            return add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operations);
        }

        private Grants add(ResourcePattern pattern, AclOperation... operations) {
            for (AclOperation op : operations) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
            return this;
        }

        List<AclBinding> list() {
            return List.copyOf(bindings);
        }
    }
}
