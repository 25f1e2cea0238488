package org.arcstream.deploy.kustomize;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads YAML files into plain maps and lists (safe constructor: no custom types). */
public final class YamlFiles {

    private YamlFiles() {
    }

    /** Every non-empty document of the file; a document that is not a mapping is an error naming the file. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : yaml().loadAll(reader)) {
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map)) {
                    throw new IllegalArgumentException(file + ": a document is not a mapping: " + doc);
                }
                docs.add((Map<String, Object>) doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The single document of the file. */
    public static Map<String, Object> document(Path file) {
        List<Map<String, Object>> docs = documents(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + docs.size() + " documents, expected 1");
        }
        return docs.get(0);
    }

    /** Parses one YAML (or JSON) value from text. */
    public static Object parse(String text) {
        return yaml().load(text);
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
