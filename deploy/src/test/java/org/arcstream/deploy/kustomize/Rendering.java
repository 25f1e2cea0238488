package org.arcstream.deploy.kustomize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcstream.deploy.Repository;

/** The objects one overlay renders to, with lookups by kind and name and the containers of workloads. */
public record Rendering(String overlay, List<Map<String, Object>> objects) {

    public static final List<String> OVERLAYS = List.of("cpu", "gpu");
    /** deploy/k8s/topics-job: the topics Job, applied beside an overlay where no Strimzi topic operator runs. */
    public static final String TOPICS_JOB = "topics-job";
    /** Everything that may run: the overlays and the topics Job. */
    public static final List<String> ALL = List.of("cpu", "gpu", TOPICS_JOB);
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    /** An overlay by name, or {@link #TOPICS_JOB}. */
    public static Rendering of(String name) {
        Path dir = TOPICS_JOB.equals(name) ? Repository.k8s().resolve(TOPICS_JOB) : Repository.overlay(name);
        return new Rendering(name, Kustomization.read(dir).render());
    }

    public static Rendering topicsJob() {
        return of(TOPICS_JOB);
    }

    /** This rendering and another applied beside it, in the same namespace (the topics Job beside an overlay). */
    public Rendering plus(Rendering other) {
        List<Map<String, Object>> all = new ArrayList<>(objects);
        all.addAll(other.objects);
        return new Rendering(overlay + "+" + other.overlay, List.copyOf(all));
    }

    public List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(Tree.string(o, "kind"))).toList();
    }

    /** The object of that kind and name; an assertion error when the overlay has none. */
    public Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + " renders no " + kind + "/" + name));
    }

    public java.util.Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(Tree.string(o, "metadata", "name"))).findFirst();
    }

    public List<Map<String, Object>> workloads() {
        return objects.stream().filter(o -> WORKLOADS.contains(Tree.string(o, "kind"))).toList();
    }

    public static Map<String, Object> podSpec(Map<String, Object> workload) {
        return Tree.map(workload, "spec", "template", "spec");
    }

    /** The main containers of a workload. */
    public static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return Tree.maps(podSpec(workload), "containers");
    }

    /** Init containers first, then the main containers. */
    public static List<Map<String, Object>> allContainers(Map<String, Object> workload) {
        List<Map<String, Object>> all = new ArrayList<>(Tree.maps(podSpec(workload), "initContainers"));
        all.addAll(containers(workload));
        return all;
    }

    /** The single main container of a workload that has exactly one. */
    public static Map<String, Object> mainContainer(Map<String, Object> workload) {
        List<Map<String, Object>> containers = containers(workload);
        if (containers.size() != 1) {
            throw new AssertionError(Kustomization.id(workload) + " has " + containers.size() + " containers, expected 1");
        }
        return containers.get(0);
    }

    public static String name(Map<String, Object> object) {
        return Tree.string(object, "metadata", "name");
    }
}
