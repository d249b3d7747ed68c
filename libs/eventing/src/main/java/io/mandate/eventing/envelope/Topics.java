package io.mandate.eventing.envelope;

import java.util.List;
import java.util.Optional;

/** The Kafka topics (docs/events.md): one per producing context, plus the internal credentials topic. */
public final class Topics {

    public static final String IDENTITY = "mandate.identity";
    public static final String TOKEN = "mandate.token";
    public static final String DELEGATION = "mandate.delegation";
    public static final String WEBHOOK = "mandate.webhook";
    /** audit-service's trail in OCSF form (plain JSON, not CloudEvents), for SIEM pipelines. */
    public static final String AUDIT_OCSF = "mandate.audit.ocsf";

    /** Compacted, keyed by credential id; read by token-service only. Never public. */
    public static final String IDENTITY_CREDENTIALS = "mandate.identity.credentials";

    public static final List<String> PUBLIC = List.of(IDENTITY, TOKEN, DELEGATION, WEBHOOK);

    /**
     * The CloudEvents {@code source} of the one service that may write {@code topic} (the broker's ACLs
     * say the same), or empty for a topic that is not one of Mandate's.
     */
    public static Optional<String> ownerSource(String topic) {
        return Optional.ofNullable(switch (topic) {
            case IDENTITY, IDENTITY_CREDENTIALS -> "/mandate/identity-service";
            case TOKEN -> "/mandate/token-service";
            case DELEGATION -> "/mandate/delegation-service";
            case WEBHOOK -> "/mandate/webhook-service";
            default -> null;
        });
    }

    private Topics() {
    }
}
