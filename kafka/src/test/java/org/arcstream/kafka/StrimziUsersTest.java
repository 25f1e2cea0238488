package org.arcstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi {@code KafkaUser} resources in deploy/strimzi grant exactly the ACLs of {@link ServiceAcls}, which
 * the in-process broker's tests enforce: the file is this rendering of them, so the two cannot drift apart.
 */
class StrimziUsersTest {

    private static final Path FILE = Path.of("..", "deploy", "strimzi", "kafka-users.yaml");

    @Test
    void theKafkaUserResourcesGrantTheServiceAcls() throws Exception {
        String expected = render(ServiceAcls.defaults());
        String actual = Files.exists(FILE) ? Files.readString(FILE) : "";
        if (!expected.equals(actual)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "kafka-users.yaml"), expected);
        }
        assertEquals(expected, actual, FILE + " differs from ServiceAcls (the expected file is in target/kafka-users.yaml)");
    }

    static String render(ServiceAcls acls) {
        StringBuilder out = new StringBuilder();
        out.append("# One Strimzi KafkaUser per arcstream service, with the least-privilege ACLs of docs/security.md.\n")
                .append("# Generated from org.arcstream.kafka.ServiceAcls (StrimziUsersTest checks that they agree).\n")
                .append("# Authentication is SCRAM-SHA-512; for mutual TLS set authentication.type to tls.\n")
                .append("# Topics are created by an administrator (the KafkaTopics of topics.yaml, or deploy/k8s/topics-job):\n")
                .append("# no service may create or delete them.\n");
        for (Map.Entry<String, List<AclBinding>> user : acls.byPrincipal().entrySet()) {
            out.append("---\n")
                    .append("apiVersion: kafka.strimzi.io/v1\n")
                    .append("kind: KafkaUser\n")
                    .append("metadata:\n")
                    .append("  name: ").append(user.getKey()).append('\n')
                    .append("  namespace: arcstream\n")
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: arcstream\n")
                    .append("    app.kubernetes.io/part-of: arcstream\n")
                    .append("spec:\n")
                    .append("  authentication:\n")
                    .append("    type: scram-sha-512\n")
                    .append("  authorization:\n")
                    .append("    type: simple\n")
                    .append("    acls:\n");
            Map<ResourcePattern, List<String>> byResource = new LinkedHashMap<>();
            for (AclBinding b : user.getValue()) {
                byResource.computeIfAbsent(b.pattern(), k -> new java.util.ArrayList<>()).add(operation(b.entry().operation()));
            }
            byResource.forEach((pattern, operations) -> out
                    .append("      - resource:\n")
                    .append("          type: ").append(resourceType(pattern)).append('\n')
                    .append("          name: ").append(pattern.name()).append('\n')
                    .append("          patternType: ").append(pattern.patternType() == PatternType.PREFIXED ? "prefix" : "literal").append('\n')
                    .append("        operations: [").append(String.join(", ", operations)).append("]\n")
                    .append("        host: \"*\"\n"));
        }
        return out.toString();
    }

    private static String resourceType(ResourcePattern pattern) {
        return switch (pattern.resourceType()) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            case CLUSTER -> "cluster";
            default -> throw new IllegalArgumentException("no Strimzi resource type for " + pattern.resourceType());
        };
    }

    /** Strimzi's spelling: {@code DESCRIBE_CONFIGS} is {@code DescribeConfigs}. */
    private static String operation(AclOperation op) {
        StringBuilder name = new StringBuilder();
        for (String part : op.name().split("_")) {
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
