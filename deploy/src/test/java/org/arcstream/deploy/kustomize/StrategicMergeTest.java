package org.arcstream.deploy.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategicMergeTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) YamlFiles.parse(text);
    }

    @Test
    void containersMergeByNameAndKeepWhatThePatchDoesNotMention() {
        Map<String, Object> target = yaml("""
                containers:
                  - {name: a, image: x, resources: {limits: {cpu: "1"}}, args: [one, two]}
                  - {name: b, image: y}
                """);
        Map<String, Object> patch = yaml("""
                containers:
                  - {name: a, resources: {limits: {nvidia.com/gpu: 1}}, args: [three]}
                """);
        Map<String, Object> merged = StrategicMerge.apply(target, patch);
        List<Map<String, Object>> containers = Tree.maps(merged, "containers");
        assertEquals(2, containers.size());
        assertEquals("x", containers.get(0).get("image"));
        assertEquals(Map.of("cpu", "1", "nvidia.com/gpu", 1), Tree.map(containers.get(0), "resources", "limits"));
        assertEquals(List.of("three"), containers.get(0).get("args"), "lists of scalars are replaced");
        assertEquals("y", containers.get(1).get("image"));
        assertEquals(2, Tree.maps(target, "containers").size(), "the target is not changed");
        assertFalse(Tree.map(Tree.maps(target, "containers").get(0), "resources", "limits").containsKey("nvidia.com/gpu"));
    }

    @Test
    void newNamesAreAppendedUnnamedListsReplacedAndNullRemoves() {
        Map<String, Object> merged = StrategicMerge.apply(
                yaml("{env: [{name: A, value: '1'}], tolerations: [{key: k1}], nodeSelector: {x: '1'}}"),
                yaml("{env: [{name: B, value: '2'}], tolerations: [{key: k2}], nodeSelector: null}"));
        assertEquals(List.of("A", "B"), Tree.maps(merged, "env").stream().map(e -> e.get("name")).toList());
        assertEquals(List.of(Map.of("key", "k2")), merged.get("tolerations"));
        assertFalse(merged.containsKey("nodeSelector"));
    }

    @Test
    void patchDirectivesAreRefused() {
        assertThrows(UnsupportedOperationException.class,
                () -> StrategicMerge.apply(yaml("{a: 1}"), yaml("{$patch: replace, a: 2}")));
    }
}
