import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Gives the local broker Mandate's topics and one identity per service: a SCRAM-SHA-512 user named
 * after the service and ACLs that let it write only its own topics and read only what it consumes.
 * Run by deploy/local/mandate after every broker start (all of it is idempotent), as the broker's
 * super user:
 *
 * <pre>java -cp '.mandate/kafka-libs/*' KafkaIdentities.java BOOTSTRAP ADMIN_PASSWORD SERVICE_PASSWORDS_FILE</pre>
 *
 * SERVICE_PASSWORDS_FILE holds one {@code service=password} line per service.
 */
public class KafkaIdentities {

    /** What each service may write (its own topics and dead-letter topic) and read. */
    record Grants(List<String> writes, List<String> reads) {
    }

    static final List<String> PUBLIC = List.of("mandate.identity", "mandate.token", "mandate.delegation", "mandate.webhook");
    static final Map<String, Grants> SERVICES = Map.of(
            "identity-service", new Grants(List.of("mandate.identity", "mandate.identity.credentials"),
                    List.of("mandate.identity", "mandate.token")),
            "token-service", new Grants(List.of("mandate.token"),
                    List.of("mandate.identity", "mandate.identity.credentials", "mandate.delegation")),
            "delegation-service", new Grants(List.of("mandate.delegation"), List.of("mandate.identity", "mandate.token")),
            "audit-service", new Grants(List.of("mandate.audit.ocsf"), PUBLIC),
            "webhook-service", new Grants(List.of("mandate.webhook"), PUBLIC));

    public static void main(String[] args) throws Exception {
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[2]))) {
            passwords.load(in);
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                + "password=\"" + args[1] + "\";");
        try (Admin admin = Admin.create(config)) {
            createTopics(admin);
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            // The super user signs in with SCRAM too, like every other client (PLAIN is the broker's own).
            users.add(new UserScramCredentialUpsertion("admin", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                    args[1]));
            List<AclBinding> acls = new ArrayList<>();
            SERVICES.forEach((service, grants) -> {
                String password = passwords.getProperty(service);
                if (password == null || password.isBlank()) {
                    throw new IllegalArgumentException("no Kafka password for " + service + " in " + args[2]);
                }
                users.add(new UserScramCredentialUpsertion(service,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
                String principal = "User:" + service;
                for (String topic : grants.writes()) {
                    acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
                }
                acls.add(allow(principal, ResourceType.TOPIC, "mandate.dlq." + service, PatternType.LITERAL, AclOperation.WRITE));
                for (String topic : grants.reads()) {
                    acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
                }
                // Its consumer groups: <service>, <service>.access, <service>.delegations ...
                acls.add(allow(principal, ResourceType.GROUP, service, PatternType.PREFIXED, AclOperation.READ));
                acls.add(allow(principal, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE));
            });
            admin.alterUserScramCredentials(users).all().get();
            admin.createAcls(acls).all().get();
        }
    }

    static void createTopics(Admin admin) throws Exception {
        Set<String> existing = new HashSet<>(admin.listTopics().names().get());
        List<NewTopic> missing = new ArrayList<>();
        // Public topics: 3 partitions, key = agent id. The credentials topic is compacted (key = credential id).
        for (String topic : List.of("mandate.identity", "mandate.token", "mandate.delegation", "mandate.webhook",
                "mandate.audit.ocsf", "mandate.identity.credentials")) {
            if (!existing.contains(topic)) {
                NewTopic created = new NewTopic(topic, 3, (short) 1);
                if (topic.equals("mandate.identity.credentials")) {
                    created.configs(Map.of("cleanup.policy", "compact"));
                }
                missing.add(created);
            }
        }
        for (String service : SERVICES.keySet()) {
            if (!existing.contains("mandate.dlq." + service)) {
                missing.add(new NewTopic("mandate.dlq." + service, 3, (short) 1));
            }
        }
        admin.createTopics(missing).all().get();
    }

    static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
