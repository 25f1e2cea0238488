package org.arcstream.broker.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How clients authenticate to the in-process broker: not at all (plaintext), with SCRAM-SHA-512 over TLS,
 * or with their own TLS certificates (mutual TLS). Secured brokers authorize every request with Kafka's
 * {@code StandardAuthorizer}: a principal may do only what an ACL allows.
 */
public enum BrokerSecurity {
    PLAINTEXT("plaintext", "PLAINTEXT"),
    SASL_SSL("sasl-ssl", "SASL_SSL"),
    MTLS("mtls", "SSL");

    private final String option;
    private final String securityProtocol;

    BrokerSecurity(String option, String securityProtocol) {
        this.option = option;
        this.securityProtocol = securityProtocol;
    }

    /** As written on a command line: {@code plaintext}, {@code sasl-ssl} or {@code mtls}. */
    public String option() {
        return option;
    }

    /** Kafka's {@code security.protocol} of the clients' listener. */
    public String securityProtocol() {
        return securityProtocol;
    }

    public static BrokerSecurity parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.option.equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown security '" + value + "': use one of "
                        + Arrays.stream(values()).map(BrokerSecurity::option).collect(Collectors.joining(", "))));
    }
}
