package io.mandate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.AgentSnapshot;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.Topics;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.sql.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What ends a token at this service before its {@code exp}, as this service learnt it from Kafka:
 * an agent suspended or revoked, a human disabled, tokens revoked one by one (RFC 7009), or every
 * token of an agent or human issued before a moment ({@code /v1/auth/revoke-tokens}, logout, a
 * password change). Also
 * remembers the DPoP proofs already presented here.
 */
@ApplicationScoped
public class TokenRevocations {

    static final String TOKEN_REVOKED = "token.revoked";
    static final String REUSE_DETECTED = "refresh_token.reuse_detected";
    private static final String IDENTITY_SOURCE = Topics.ownerSource(Topics.IDENTITY).orElseThrow();
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(5);

    private final Sql sql;
    private final WakeableLoop pruning;

    TokenRevocations(Sql sql) {
        this.sql = sql;
        this.pruning = WakeableLoop.every("access-revocation-pruning", PRUNE_INTERVAL, this::prune);
    }

    void start(@Observes StartupEvent startup) {
        pruning.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        pruning.stop();
    }

    /** True if a token of {@code subject} with this {@code jti}, issued at {@code issuedAt}, no longer counts. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isRevoked(String subject, String jti, Instant issuedAt) {
        return sql.exists("""
                select 1 from revoked_subject where subject = ?1 and (blocked or issued_before >= ?3)
                union all
                select 1 from revoked_access_token where jti = ?2""", subject, jti == null ? "" : jti, issuedAt);
    }

    /**
     * Records a DPoP proof's use; false if the same key presented the same {@code jti} before. Its own
     * transaction: a proof counts as used even if the request then fails.
     */
    public boolean firstUse(String thumbprint, String jti, Instant keepUntil) {
        return QuarkusTransaction.requiringNew().call(() -> sql.update(
                "insert into used_dpop_proof (id, expires_at) values (?1, ?2) on conflict do nothing",
                thumbprint + " " + jti, keepUntil) == 1);
    }

    /**
     * True for the events {@link #apply} acts on: identity-service's (agents and humans) and the two of
     * token-service's that end tokens. The rest of {@code mandate.token} (an {@code agent.verified} per
     * token issued) is passed over without a transaction.
     */
    public static boolean concerns(CloudEvent event) {
        return IDENTITY_SOURCE.equals(event.source()) || TOKEN_REVOKED.equals(event.type())
                || REUSE_DETECTED.equals(event.type());
    }

    /**
     * Applies an event of {@code mandate.identity} or {@code mandate.token} that ends tokens; ignores the
     * rest. Idempotent: applying an event twice leaves the same rows.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event) {
        Instant at = time(event);
        AgentSnapshot.of(event).ifPresent(agent -> subject(agent.id(), agent.tenantId(), at,
                !"active".equals(agent.status()), null));
        JsonNode human = event.data() == null ? null : event.data().get("human");
        if (event.type().startsWith("human.") && human != null && human.path("id").isTextual()) {
            String passwordChanged = textOf(human, "password_changed_at");
            subject(human.path("id").asText(), human.path("tenant_id").asText(), at,
                    "disabled".equals(human.path("status").asText()),
                    passwordChanged == null ? null : instant(passwordChanged, event));
        }
        if (TOKEN_REVOKED.equals(event.type()) || REUSE_DETECTED.equals(event.type())) {
            tokens(event);
        }
    }

    /**
     * A subject that is blocked stays so until an event says it is active again; tokens issued before it
     * was blocked, or before {@code cutOff} (a password change), stay void after that.
     */
    private void subject(String subject, String tenantId, Instant at, boolean blocked, Instant cutOff) {
        // The epoch stands for "no cut-off": no token is issued before it.
        Instant issuedBefore = blocked ? at : cutOff == null ? Instant.EPOCH : cutOff;
        sql.update("""
                insert into revoked_subject (subject, tenant_id, issued_before, blocked)
                select ?1, ?2, ?3, ?4
                where ?4 or ?3 > to_timestamp(0) or exists (select 1 from revoked_subject where subject = ?1)
                on conflict (subject) do update set blocked = excluded.blocked,
                    issued_before = greatest(revoked_subject.issued_before, excluded.issued_before)""",
                subject, tenantId, issuedBefore, blocked);
    }

    private void tokens(CloudEvent event) {
        JsonNode data = event.data();
        String subject = textOf(data, "user_id") != null ? textOf(data, "user_id") : textOf(data, "agent_id");
        String issuedBefore = textOf(data, "issued_before");
        if (subject != null && issuedBefore != null) {
            sql.update("""
                    insert into revoked_subject (subject, tenant_id, issued_before) values (?1, ?2, ?3)
                    on conflict (subject) do update
                    set issued_before = greatest(revoked_subject.issued_before, excluded.issued_before)""",
                    subject, textOf(data, "tenant_id"), instant(issuedBefore, event));
        }
        if (textOf(data, "jti") != null && textOf(data, "expires_at") != null) {
            token(textOf(data, "jti"), instant(textOf(data, "expires_at"), event));
        }
        data.path("access_tokens").forEach(token -> token(token.path("jti").asText(),
                instant(token.path("expires_at").asText(), event)));
    }

    private void token(String jti, Instant expiresAt) {
        sql.update("insert into revoked_access_token (jti, expires_at) values (?1, ?2) on conflict do nothing",
                jti, expiresAt);
    }

    /** Forgets what has expired anyway. */
    void prune() {
        QuarkusTransaction.requiringNew().run(() -> {
            sql.update("delete from revoked_access_token where expires_at < now()");
            sql.update("delete from used_dpop_proof where expires_at < now()");
        });
    }

    private static String textOf(JsonNode data, String field) {
        JsonNode node = data == null ? null : data.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }

    private static Instant time(CloudEvent event) {
        return event.time() == null ? Instant.now() : instant(event.time(), event);
    }

    private static Instant instant(String text, CloudEvent event) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(event.type() + " " + event.id() + " has a malformed time: " + text);
        }
    }
}
