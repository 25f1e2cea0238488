package org.arcstream.deploy.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.deploy.Repository;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.YamlFiles;
import org.arcstream.deploy.strimzi.StrimziResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every rendered manifest and every Strimzi resource is a valid object of its kind, with no unknown field. */
class TypedManifestsTest {

    @ParameterizedTest
    @FieldSource("org.arcstream.deploy.kustomize.Rendering#OVERLAYS")
    void everyRenderedDocumentParsesIntoItsTypedModel(String overlay) {
        List<Map<String, Object>> documents = Rendering.of(overlay).objects();
        List<Object> typed = TypedObjects.parseAll(documents);
        assertEquals(documents.size(), typed.size());
        assertEquals(3, TypedObjects.ofType(typed, Deployment.class).size(), overlay + " Deployments");
    }

    @Test
    void theTopicsJobParsesIntoItsTypedModel() {
        List<Map<String, Object>> documents = Rendering.topicsJob().objects();
        assertEquals(1, TypedObjects.ofType(TypedObjects.parseAll(documents), Job.class).size());
    }

    @Test
    void everyStrimziResourceParsesIntoStrimzisModel() {
        List<Path> files = StrimziResources.files();
        assertFalse(files.isEmpty(), "no YAML in " + Repository.strimzi());
        int documents = files.stream().mapToInt(f -> YamlFiles.documents(f).size()).sum();
        StrimziResources resources = StrimziResources.read();
        assertEquals(documents, resources.objects().size());
        assertInstanceOf(Kafka.class, resources.kafka());
    }

    @Test
    void aMisspeltFieldIsRefusedAtAnyDepth() {
        Map<String, Object> embedder = copy(Rendering.of("cpu").get("Deployment", "embedder"));
        Map<String, Object> container = Rendering.mainContainer(embedder);
        container.put("imagePullPolicyy", "Always");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(embedder));
        assertTrue(e.getMessage().contains("imagePullPolicyy"), e.getMessage());
    }

    @Test
    void aFieldOfAStrimziResourceInTheWrongPlaceIsRefused() {
        Map<String, Object> kafka = YamlFiles.documents(Repository.strimzi().resolve("kafka.yaml")).stream()
                .filter(d -> "Kafka".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> moved = copy(kafka);
        // authorization belongs to spec.kafka, not to spec
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) moved.get("spec");
        spec.put("authorization", Map.of("type", "simple"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(moved));
        assertTrue(e.getMessage().contains("authorization"), e.getMessage());
    }

    @Test
    void aNumberWhereKubernetesWantsAStringIsRefused() {
        Map<String, Object> configMap = new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "x"), "data", Map.of("ARCSTREAM_INFERENCE_THREADS", 2)));
        assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(configMap));
        Map<String, Object> scaledObject = Map.of("apiVersion", "keda.sh/v1alpha1", "kind", "ScaledObject",
                "metadata", Map.of("name", "x"), "spec", Map.of("scaleTargetRef", Map.of("name", "embedder"),
                        "triggers", List.of(Map.of("type", "kafka", "metadata", Map.of("lagThreshold", 120)))));
        assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(scaledObject));
    }

    @Test
    void aKindWithoutAModelOrAnOldStrimziVersionIsRefused() {
        Map<String, Object> unknown = Map.of("apiVersion", "example.com/v1", "kind", "Widget", "metadata", Map.of("name", "x"));
        assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(unknown));
        Map<String, Object> old = Map.of("apiVersion", "kafka.strimzi.io/v1beta2", "kind", "KafkaTopic", "metadata", Map.of("name", "x"),
                "spec", Map.of("partitions", 1));
        assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(old));
    }

    @Test
    void aRequiredKedaFieldIsRequired() {
        Map<String, Object> noTarget = Map.of("apiVersion", "keda.sh/v1alpha1", "kind", "ScaledObject",
                "metadata", Map.of("name", "x"), "spec", Map.of("triggers", List.of()));
        assertThrows(IllegalArgumentException.class, () -> TypedObjects.parse(noTarget));
    }

    /** A deep, mutable copy of a YAML tree. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), copy(v)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            return (T) new java.util.ArrayList<>(list.stream().map(TypedManifestsTest::copy).toList());
        }
        return node;
    }
}
