package org.arcstream.deploy.kustomize;

import java.util.List;
import java.util.Map;

/** Typed access into parsed YAML (nested maps and lists); a missing step gives null or an empty collection. */
public final class Tree {

    private Tree() {
    }

    /** The value at the path of map keys, or null when a step is missing. */
    public static Object get(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node, String... path) {
        Object value = get(node, path);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(String.join(".", path) + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Object node, String... path) {
        Object value = get(node, path);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(String.join(".", path) + " is not a list: " + value);
        }
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object node, String... path) {
        Object value = get(node, path);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(String.join(".", path) + " is not a list: " + value);
        }
        return (List<Object>) value;
    }

    /** The scalar at the path as text (numbers and booleans too), or null. */
    public static String string(Object node, String... path) {
        Object value = get(node, path);
        return value == null ? null : value.toString();
    }
}
