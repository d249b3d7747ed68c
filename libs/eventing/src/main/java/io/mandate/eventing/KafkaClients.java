package io.mandate.eventing;

import io.mandate.eventing.outbox.EventProducer;
import java.util.Map;
import java.util.Properties;

/**
 * The connection part of a Kafka client's configuration: where the brokers are and how this client
 * proves who it is (SASL or TLS). The connector's channels take it from the service's {@code kafka.*}
 * configuration; the clients libs/eventing makes itself ({@link EventProducer}) take it from there too.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*} and {@code ssl.*} of {@code config}. */
    public static Properties connection(Map<String, ?> config) {
        Properties props = new Properties();
        config.forEach((key, value) -> {
            if (key.equals("bootstrap.servers") || key.equals("security.protocol") || key.startsWith("sasl.")
                    || key.startsWith("ssl.")) {
                props.put(key, String.valueOf(value));
            }
        });
        if (!props.containsKey("bootstrap.servers")) {
            throw new IllegalStateException("kafka.bootstrap.servers is not configured");
        }
        return props;
    }

    /** A client that signs in with SCRAM-SHA-512 as {@code user} over SASL_PLAINTEXT. */
    public static Properties scram(String bootstrap, String user, String password) {
        return connection(Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";"));
    }
}
