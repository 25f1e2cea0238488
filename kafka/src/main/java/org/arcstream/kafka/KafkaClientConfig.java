package org.arcstream.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * How a service or command reaches its Kafka cluster: the bootstrap servers and any other Kafka client
 * property (security protocol, SASL, trust and key stores, timeouts, ...) that every producer, consumer,
 * admin client and Streams application of that service is built with.
 *
 * <p>Properties come from the environment ({@code ARCSTREAM_KAFKA_SECURITY_PROTOCOL=SASL_SSL} is
 * {@code security.protocol}) and from the service's configuration or command line, which win. A value may
 * name a secret instead of holding it, through Kafka's own config providers, which are switched on when a
 * value refers to one: {@code ${file:/path/client.properties:key}}, {@code ${dir:/path/folder:file-name}}
 * (a mounted Kubernetes Secret) or {@code ${env:VARIABLE}}. Kafka resolves them inside each client, so the
 * secret itself never passes through this class. {@link #toString()} hides every secret-bearing value.
 */
public final class KafkaClientConfig {

    /** Environment variables with this prefix are Kafka client properties: the rest lower-cased, {@code _} as {@code .}. */
    public static final String ENV_PREFIX = "ARCSTREAM_KAFKA_";

    private static final String HIDDEN = "[hidden]";
    private static final Map<String, String> PROVIDERS = Map.of(
            "file", FileConfigProvider.class.getName(),
            "dir", DirectoryConfigProvider.class.getName(),
            "env", EnvVarConfigProvider.class.getName());
    private static final Set<String> PASSWORD_KEYS = passwordKeys();

    private final String bootstrapServers;
    private final Map<String, String> properties;

    private KafkaClientConfig(String bootstrapServers, Map<String, String> properties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("the Kafka bootstrap servers must not be empty");
        }
        if (properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("bootstrap.servers cannot be given as a Kafka client property: "
                    + "it is the service's own bootstrap-servers setting (--bootstrap-servers)");
        }
        properties.forEach((k, v) -> {
            if (k.isBlank() || v == null) {
                throw new IllegalArgumentException("Kafka client property '" + k + "' needs a name and a value");
            }
        });
        this.bootstrapServers = bootstrapServers;
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** A cluster reached with Kafka's defaults (plaintext, no authentication). */
    public static KafkaClientConfig of(String bootstrapServers) {
        return new KafkaClientConfig(bootstrapServers, Map.of());
    }

    public static KafkaClientConfig of(String bootstrapServers, Map<String, String> properties) {
        return new KafkaClientConfig(bootstrapServers, properties);
    }

    /**
     * The cluster at {@code bootstrapServers} with the {@link #ENV_PREFIX} properties of {@code environment},
     * overridden by {@code configured} (the service's configuration or command line).
     */
    public static KafkaClientConfig resolve(String bootstrapServers, Map<String, String> configured, Map<String, String> environment) {
        return new KafkaClientConfig(bootstrapServers, merge(fromEnvironment(environment), configured));
    }

    /** As {@link #resolve(String, Map, Map)} with this process's environment. */
    public static KafkaClientConfig resolve(String bootstrapServers, Map<String, String> configured) {
        return resolve(bootstrapServers, configured, System.getenv());
    }

    /**
     * Properties as a configuration library hands them over (values of any type, maybe nested maps for dotted
     * keys) as flat {@code a.b.c=value} strings.
     */
    public static Map<String, String> flatten(Map<String, ?> properties) {
        Map<String, String> flat = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                Map<String, Object> inner = new LinkedHashMap<>();
                nested.forEach((k, v) -> inner.put(String.valueOf(k), v));
                flatten(inner).forEach((k, v) -> flat.put(key + "." + k, v));
            } else if (value instanceof java.util.Collection<?> list) {
                flat.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (value != null) {
                flat.put(key, String.valueOf(value));
            }
        });
        return flat;
    }

    /** The Kafka client properties among environment variables, by their names under {@link #ENV_PREFIX}. */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> found = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                found.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return found;
    }

    /** This cluster with {@code more} properties on top of these (e.g. another principal's credentials). */
    public KafkaClientConfig with(Map<String, String> more) {
        return new KafkaClientConfig(bootstrapServers, merge(properties, more));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client properties besides the bootstrap servers, unresolved (secrets may be provider references). */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * The configuration of one client: the bootstrap servers, these properties, the config providers that
     * their values refer to, and then {@code settings}, the client's own needs (serializers, acks,
     * idempotence, isolation), which win: what the code relies on cannot be switched off by configuration.
     */
    public Map<String, Object> clientConfig(Map<String, ?> settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(providers());
        config.putAll(properties);
        config.putAll(settings);
        return config;
    }

    /** {@link #clientConfig(Map)} without settings of the client's own. */
    public Map<String, Object> clientConfig() {
        return clientConfig(Map.of());
    }

    /** {@link #clientConfig()} as Properties, e.g. for Kafka Streams, which hands them on to its own clients. */
    public Properties toProperties() {
        Properties props = new Properties();
        props.putAll(clientConfig());
        return props;
    }

    /** The security protocol these clients use ({@code PLAINTEXT} when none is set). */
    public String securityProtocol() {
        return properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL);
    }

    /** True when {@code key}'s value may be or hold a secret, which is then never shown. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return PASSWORD_KEYS.contains(k) || k.contains("password") || k.contains("secret") || k.contains("jaas")
                || k.contains("credential") || k.endsWith(".key") || k.contains("token");
    }

    /** The bootstrap servers and properties, every secret-bearing value shown as {@code [hidden]}: safe to log. */
    @Override
    public String toString() {
        return "bootstrap.servers=" + bootstrapServers + properties.entrySet().stream()
                .map(e -> ", " + e.getKey() + "=" + (isSecret(e.getKey()) ? HIDDEN : e.getValue()))
                .collect(Collectors.joining());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaClientConfig other && bootstrapServers.equals(other.bootstrapServers) && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return 31 * bootstrapServers.hashCode() + properties.hashCode();
    }

    /**
     * Kafka's file, directory and environment config providers, when a value refers to one and none are
     * configured: every client resolves the references itself, at its start.
     */
    private Map<String, String> providers() {
        if (properties.containsKey(AdminClientConfig.CONFIG_PROVIDERS_CONFIG)
                || properties.values().stream().noneMatch(v -> v.contains("${"))) {
            return Map.of();
        }
        Map<String, String> config = new TreeMap<>();
        config.put(AdminClientConfig.CONFIG_PROVIDERS_CONFIG, String.join(",", new TreeMap<>(PROVIDERS).keySet()));
        PROVIDERS.forEach((name, type) -> config.put(AdminClientConfig.CONFIG_PROVIDERS_CONFIG + "." + name + ".class", type));
        return config;
    }

    private static Map<String, String> merge(Map<String, String> base, Map<String, String> top) {
        Map<String, String> merged = new TreeMap<>(base);
        merged.putAll(top);
        return merged;
    }

    /** Keys Kafka itself types as passwords, in any of its clients. */
    private static Set<String> passwordKeys() {
        return java.util.stream.Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                .flatMap(def -> def.configKeys().values().stream())
                .filter(k -> k.type == ConfigDef.Type.PASSWORD)
                .map(k -> k.name)
                .collect(Collectors.toUnmodifiableSet());
    }
}
