package org.arcstream.broker.security;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.arcstream.kafka.KafkaClientConfig;

/**
 * The secrets of a secured in-process broker, all made for one run: a certificate authority, the broker's
 * key store (whose {@code CN} is the super user), a trust store, and per principal a SCRAM password or a
 * key store of its own. Stores lie in a folder of the broker's data directory, deleted with it; passwords
 * stay in memory and are only handed to clients through {@link KafkaClientConfig}, which never shows them.
 */
public final class BrokerCredentials {

    /** The broker's own principal, the one super user: inter-broker and controller traffic, topic and ACL administration. */
    public static final String SUPER_USER = "arcstream-broker";
    public static final String SCRAM = "SCRAM-SHA-512";
    private static final int SCRAM_ITERATIONS = 8192;

    private final BrokerSecurity security;
    private final Path dir;
    private final String storePassword;
    private final Map<String, String> scramPasswords;

    private BrokerCredentials(BrokerSecurity security, Path dir, String storePassword, Map<String, String> scramPasswords) {
        this.security = security;
        this.dir = dir;
        this.storePassword = storePassword;
        this.scramPasswords = scramPasswords;
    }

    /** Makes the authority, the broker's stores and every principal's credentials in {@code dir}. */
    public static BrokerCredentials create(Path dir, BrokerSecurity security, Collection<String> principals) {
        if (security == BrokerSecurity.PLAINTEXT) {
            throw new IllegalArgumentException("a plaintext broker has no credentials");
        }
        SecureRandom random = new SecureRandom();
        String storePassword = secret(random);
        CertificateAuthority ca = CertificateAuthority.create("arcstream-demo-ca");
        ca.writeTrustStore(dir.resolve("truststore.p12"), storePassword.toCharArray());
        ca.issue(SUPER_USER, keyStore(dir, SUPER_USER), storePassword.toCharArray());
        Map<String, String> scram = new LinkedHashMap<>();
        for (String principal : principals) {
            if (principal.equals(SUPER_USER) || !principal.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("not a usable principal name: '" + principal + "'");
            }
            if (security == BrokerSecurity.MTLS) {
                ca.issue(principal, keyStore(dir, principal), storePassword.toCharArray());
            } else {
                scram.put(principal, secret(random));
            }
        }
        return new BrokerCredentials(security, dir, storePassword, Map.copyOf(scram));
    }

    /** The broker's TLS, principal mapping and authorizer settings, common to its secured listeners. */
    public Map<String, String> brokerProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.putAll(keyStoreProperties(SUPER_USER));
        props.putAll(trustStoreProperties());
        props.put("ssl.client.auth", "required");
        // a certificate CN=ingest is the principal User:ingest, as the SCRAM user ingest is
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + SUPER_USER);
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    /** The super user's client, on the broker's certificate (to the listener at {@code bootstrap}). */
    public KafkaClientConfig superUser(String bootstrap) {
        Map<String, String> props = new LinkedHashMap<>(keyStoreProperties(SUPER_USER));
        props.putAll(trustStoreProperties());
        props.put("security.protocol", "SSL");
        return KafkaClientConfig.of(bootstrap, props);
    }

    /** How {@code principal} connects to the clients' listener at {@code bootstrap}. */
    public KafkaClientConfig client(String principal, String bootstrap) {
        Map<String, String> props = new LinkedHashMap<>(trustStoreProperties());
        props.put("security.protocol", security.securityProtocol());
        if (security == BrokerSecurity.MTLS) {
            if (!keyStore(dir, principal).toFile().isFile()) {
                throw new IllegalArgumentException("the broker knows no principal '" + principal + "'");
            }
            props.putAll(keyStoreProperties(principal));
        } else {
            String password = scramPasswords.get(principal);
            if (password == null) {
                throw new IllegalArgumentException("the broker knows no principal '" + principal + "'");
            }
            props.put("sasl.mechanism", SCRAM);
            props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + principal + "\" password=\"" + password + "\";");
        }
        return KafkaClientConfig.of(bootstrap, props);
    }

    /** The SCRAM users to create (none for mutual TLS). */
    public List<UserScramCredentialAlteration> scramUsers() {
        return scramPasswords.entrySet().stream().<UserScramCredentialAlteration>map(e -> new UserScramCredentialUpsertion(e.getKey(),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), e.getValue())).toList();
    }

    /** The SCRAM user names (none for mutual TLS). */
    public List<String> principals() {
        return List.copyOf(scramPasswords.keySet());
    }

    private Map<String, String> keyStoreProperties(String principal) {
        return Map.of("ssl.keystore.location", keyStore(dir, principal).toString(), "ssl.keystore.password", storePassword,
                "ssl.keystore.type", "PKCS12", "ssl.key.password", storePassword);
    }

    private Map<String, String> trustStoreProperties() {
        return Map.of("ssl.truststore.location", dir.resolve("truststore.p12").toString(), "ssl.truststore.password", storePassword,
                "ssl.truststore.type", "PKCS12");
    }

    private static Path keyStore(Path dir, String principal) {
        return dir.resolve(principal + ".p12");
    }

    private static String secret(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "BrokerCredentials[" + security.option() + ", " + dir + "]";
    }
}
