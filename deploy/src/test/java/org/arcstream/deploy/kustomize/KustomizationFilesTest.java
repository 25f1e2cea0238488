package org.arcstream.deploy.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.arcstream.deploy.Repository;
import org.junit.jupiter.api.Test;

class KustomizationFilesTest {

    @Test
    void everyManifestDocumentHasApiVersionKindAndName() throws IOException {
        List<Path> manifests = yamlFiles().stream().filter(p -> !p.getFileName().toString().equals(Kustomization.FILE)).toList();
        assertFalse(manifests.isEmpty(), "no manifests under " + Repository.k8s());
        for (Path file : manifests) {
            List<Map<String, Object>> docs = YamlFiles.documents(file);
            assertFalse(docs.isEmpty(), file + " holds no document");
            for (Map<String, Object> doc : docs) {
                for (String field : List.of("apiVersion", "kind")) {
                    String value = Tree.string(doc, field);
                    assertTrue(value != null && !value.isBlank(), file + ": a document has no " + field);
                }
                String name = Tree.string(doc, "metadata", "name");
                assertTrue(name != null && !name.isBlank(), file + ": " + Tree.string(doc, "kind") + " without metadata.name");
            }
        }
    }

    @Test
    void everyKustomizationIsOneAndNamesFilesThatExist() throws IOException {
        List<Path> kustomizations = yamlFiles().stream().filter(p -> p.getFileName().toString().equals(Kustomization.FILE)).toList();
        assertEquals(4, kustomizations.size(), "base, overlays/cpu, overlays/gpu and topics-job: " + kustomizations);
        for (Path file : kustomizations) {
            Kustomization k = Kustomization.read(file.getParent());
            assertEquals("kustomize.config.k8s.io/v1beta1", Tree.string(k.spec(), "apiVersion"), file.toString());
            assertEquals("Kustomization", Tree.string(k.spec(), "kind"), file.toString());
            for (Path resource : k.resources()) {
                assertTrue(Files.isRegularFile(resource) || Files.isRegularFile(resource.resolve(Kustomization.FILE)),
                        file + " names resource " + resource + ", which is neither a file nor a kustomization folder");
            }
            for (Path patch : k.patches()) {
                assertTrue(Files.isRegularFile(patch), file + " names patch " + patch + ", which does not exist");
            }
        }
    }

    @Test
    void everyManifestFileIsUsedByAKustomization() throws IOException {
        Set<Path> referenced = new HashSet<>();
        for (Path file : yamlFiles()) {
            if (file.getFileName().toString().equals(Kustomization.FILE)) {
                Kustomization k = Kustomization.read(file.getParent());
                referenced.addAll(k.resources());
                referenced.addAll(k.patches());
            }
        }
        List<Path> orphans = new ArrayList<>();
        for (Path file : yamlFiles()) {
            if (!file.getFileName().toString().equals(Kustomization.FILE) && !referenced.contains(file.normalize())) {
                orphans.add(file);
            }
        }
        assertEquals(List.of(), orphans, "manifests that no kustomization applies");
    }

    @Test
    void overlaysRenderWithUniqueObjects() {
        for (String overlay : Rendering.ALL) {
            Rendering rendering = Rendering.of(overlay);
            Set<String> ids = new HashSet<>();
            for (Map<String, Object> object : rendering.objects()) {
                assertTrue(ids.add(Kustomization.id(object)), overlay + " renders " + Kustomization.id(object) + " twice");
                if (!"Namespace".equals(Tree.string(object, "kind"))) {
                    assertEquals("arcstream", Tree.string(object, "metadata", "namespace"), overlay + ": " + Kustomization.id(object));
                }
            }
            if (overlay.equals(Rendering.TOPICS_JOB)) {
                assertEquals(Set.of("Job/arcstream-topics", "ConfigMap/arcstream-topics"), ids, overlay + " renders " + ids);
                continue;
            }
            assertTrue(ids.containsAll(List.of("Namespace/arcstream", "Deployment/ingest", "Deployment/embedder",
                    "Deployment/trainer", "Service/ingest", "Service/embedder", "Service/trainer",
                    "Secret/arcstream-admin", "PersistentVolumeClaim/trainer-store")), overlay + " renders " + ids);
            // with Strimzi the KafkaTopics create the topics: the Job is applied only where no topic operator runs
            assertFalse(ids.contains("Job/arcstream-topics"), overlay + " runs the topics Job");
            // the topics Job is applied beside the overlay: it must not replace any of its objects
            for (Map<String, Object> object : Rendering.topicsJob().objects()) {
                assertFalse(ids.contains(Kustomization.id(object)), overlay + " and topics-job both define " + Kustomization.id(object));
            }
        }
    }

    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Repository.k8s())) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
