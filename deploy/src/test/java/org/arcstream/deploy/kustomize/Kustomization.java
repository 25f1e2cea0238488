package org.arcstream.deploy.kustomize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a kustomization folder the way {@code kubectl kustomize} does, for the features this project's
 * kustomizations use: resources (files and folders), strategic merge patches by path, image renames and
 * the namespace. Any other field is refused, so that the tests never check a rendering that differs from
 * what the cluster gets ({@code KustomizeRenderTest} compares both where kubectl is installed).
 */
public final class Kustomization {

    public static final String FILE = "kustomization.yaml";
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "patches", "images");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "PersistentVolume", "ClusterRole",
            "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition", "PriorityClass", "RuntimeClass");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet");

    private final Path dir;
    private final Map<String, Object> spec;

    private Kustomization(Path dir, Map<String, Object> spec) {
        this.dir = dir;
        this.spec = spec;
    }

    /** Reads {@code dir/kustomization.yaml}; unsupported fields are an error. */
    public static Kustomization read(Path dir) {
        Map<String, Object> spec = YamlFiles.document(dir.resolve(FILE));
        for (String key : spec.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new UnsupportedOperationException(dir.resolve(FILE) + ": field '" + key + "' is not rendered by this test renderer");
            }
        }
        return new Kustomization(dir, spec);
    }

    public Path dir() {
        return dir;
    }

    public Map<String, Object> spec() {
        return spec;
    }

    /** The paths that the resources entries name (files or folders), resolved against this folder. */
    public List<Path> resources() {
        return Tree.list(spec, "resources").stream().map(r -> dir.resolve(r.toString()).normalize()).toList();
    }

    /** The patch files, resolved against this folder. */
    public List<Path> patches() {
        List<Path> paths = new ArrayList<>();
        for (Map<String, Object> patch : Tree.maps(spec, "patches")) {
            if (patch.get("path") == null || patch.size() != 1) {
                throw new UnsupportedOperationException(dir.resolve(FILE) + ": only patches given by path alone are rendered: " + patch);
            }
            paths.add(dir.resolve(patch.get("path").toString()).normalize());
        }
        return paths;
    }

    /** Every object this kustomization produces, in resource order. */
    public List<Map<String, Object>> render() {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Path resource : resources()) {
            if (Files.isDirectory(resource)) {
                objects.addAll(read(resource).render());
            } else {
                objects.addAll(YamlFiles.documents(resource));
            }
        }
        for (Path patchFile : patches()) {
            for (Map<String, Object> patch : YamlFiles.documents(patchFile)) {
                int index = indexOfTarget(objects, patch);
                if (index < 0) {
                    throw new IllegalStateException(patchFile + " patches " + id(patch) + ", which no resource defines");
                }
                objects.set(index, StrategicMerge.apply(objects.get(index), patch));
            }
        }
        for (Map<String, Object> image : Tree.maps(spec, "images")) {
            objects.replaceAll(object -> renameImages(object, image));
        }
        String namespace = Tree.string(spec, "namespace");
        if (namespace != null) {
            objects.replaceAll(object -> CLUSTER_SCOPED.contains(Tree.string(object, "kind")) ? object : withNamespace(object, namespace));
        }
        return objects;
    }

    /** kind/name of an object, the identity patches are matched by. */
    public static String id(Map<String, Object> object) {
        return Tree.string(object, "kind") + "/" + Tree.string(object, "metadata", "name");
    }

    private static int indexOfTarget(List<Map<String, Object>> objects, Map<String, Object> patch) {
        for (int i = 0; i < objects.size(); i++) {
            if (id(objects.get(i)).equals(id(patch))) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Object> withNamespace(Map<String, Object> object, String namespace) {
        Map<String, Object> metadata = new LinkedHashMap<>(Tree.map(object, "metadata"));
        metadata.put("namespace", namespace);
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.put("metadata", metadata);
        return copy;
    }

    private static Map<String, Object> renameImages(Map<String, Object> object, Map<String, Object> rule) {
        if (!WORKLOADS.contains(Tree.string(object, "kind"))) {
            return object;
        }
        String name = Objects.requireNonNull(Tree.string(rule, "name"), "images entry without name");
        String newName = Tree.string(rule, "newName");
        String newTag = Tree.string(rule, "newTag");
        Map<String, Object> podSpec = new LinkedHashMap<>(Tree.map(object, "spec", "template", "spec"));
        for (String field : List.of("initContainers", "containers")) {
            if (!podSpec.containsKey(field)) {
                continue;
            }
            List<Map<String, Object>> containers = new ArrayList<>();
            for (Map<String, Object> container : Tree.maps(podSpec, field)) {
                ImageRef ref = ImageRef.parse(Tree.string(container, "image"));
                if (ref.name().equals(name)) {
                    container = new LinkedHashMap<>(container);
                    container.put("image", new ImageRef(newName != null ? newName : ref.name(),
                            newTag != null ? newTag : ref.tag(), ref.digest()).toString());
                }
                containers.add(container);
            }
            podSpec.put(field, containers);
        }
        Map<String, Object> template = new LinkedHashMap<>(Tree.map(object, "spec", "template"));
        template.put("spec", podSpec);
        Map<String, Object> workloadSpec = new LinkedHashMap<>(Tree.map(object, "spec"));
        workloadSpec.put("template", template);
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.put("spec", workloadSpec);
        return copy;
    }
}
