package io.mandate.eventing;

import java.util.List;

/** The Kafka topics of SPEC §2: one per producing context, plus the internal credentials topic. */
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

    private Topics() {
    }
}
