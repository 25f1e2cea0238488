package org.arcstream.deploy.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of Kubernetes' strategic merge patch that the overlays use: mappings merge key by key, a null
 * value removes the key, lists of named entries (containers, env, volumes, volume mounts) merge by name,
 * any other list is replaced. Patch directives ($patch, $retainKeys, ...) are refused rather than ignored.
 */
public final class StrategicMerge {

    private StrategicMerge() {
    }

    /** A new tree: {@code target} with {@code patch} applied; neither argument is changed. */
    public static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("$")) {
                throw new UnsupportedOperationException("patch directive " + key + " is not supported");
            }
            Object value = entry.getValue();
            Object current = result.get(key);
            if (value == null) {
                result.remove(key);
            } else if (value instanceof Map<?, ?> patchMap && current instanceof Map<?, ?> currentMap) {
                result.put(key, apply(cast(currentMap), cast(patchMap)));
            } else if (value instanceof List<?> patchList && current instanceof List<?> currentList
                    && named(patchList) && named(currentList)) {
                result.put(key, mergeByName(currentList, patchList));
            } else {
                result.put(key, value);
            }
        }
        return result;
    }

    private static List<Object> mergeByName(List<?> current, List<?> patch) {
        List<Object> merged = new ArrayList<>(current);
        for (Object item : patch) {
            Map<String, Object> patchItem = cast(item);
            int index = indexOf(merged, patchItem.get("name"));
            if (index < 0) {
                merged.add(patchItem);
            } else {
                merged.set(index, apply(cast(merged.get(index)), patchItem));
            }
        }
        return merged;
    }

    private static int indexOf(List<Object> items, Object name) {
        for (int i = 0; i < items.size(); i++) {
            if (Objects.equals(cast(items.get(i)).get("name"), name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean named(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(item -> item instanceof Map<?, ?> m && m.get("name") != null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
