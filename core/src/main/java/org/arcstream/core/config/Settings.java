package org.arcstream.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Layered key/value settings: built-in defaults ({@code arcstream.properties}), an optional file,
 * environment variables ({@code ARCSTREAM_MODELS_DIR} for {@code models.dir}), system properties
 * ({@code -Darcstream.models.dir}) and explicit overrides, each layer stronger than the one before.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    /** Defaults, then the file (may be null), then the environment and system properties. */
    public static Settings load(Path file) {
        return load(file, System.getenv(), System.getProperties());
    }

    static Settings load(Path file, Map<String, String> env, Properties system) {
        Properties defaults = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/arcstream.properties")) {
            if (in == null) {
                throw new IllegalStateException("arcstream.properties is missing from the classpath");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new HashMap<>();
        defaults.stringPropertyNames().forEach(k -> values.put(k, defaults.getProperty(k).trim()));
        if (file != null) {
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                fromFile.load(reader);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("settings file not found: " + file, e);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read settings file " + file + ": " + e.getMessage(), e);
            }
            for (String key : fromFile.stringPropertyNames()) {
                requireKnown(values, key, file.toString());
                values.put(key, fromFile.getProperty(key).trim());
            }
        }
        for (String key : defaults.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv.trim());
            }
            String fromSystem = system.getProperty("arcstream." + key);
            if (fromSystem != null) {
                values.put(key, fromSystem.trim());
            }
        }
        return new Settings(values);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "ARCSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A copy with {@code key} set to {@code value}. */
    public Settings with(String key, String value) {
        requireKnown(values, key, "override");
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown setting '" + key + "'");
        }
        return v;
    }

    /** The path, or null when the value is empty. */
    public Path path(String key) {
        String v = string(key);
        return v.isEmpty() ? null : Path.of(v);
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "an integer");
        }
    }

    public long longValue(String key) {
        try {
            return Long.parseLong(string(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "an integer");
        }
    }

    public float decimal(String key) {
        try {
            return Float.parseFloat(string(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "a number");
        }
    }

    public boolean flag(String key) {
        String v = string(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(
                "setting " + key + " (env " + envName(key) + ") must be " + expected + ", got '" + values.get(key) + "'");
    }

    private static void requireKnown(Map<String, String> values, String key, String source) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "' in " + source);
        }
    }
}
