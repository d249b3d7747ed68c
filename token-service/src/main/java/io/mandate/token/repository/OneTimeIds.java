package io.mandate.token.repository;

import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.sql.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;

/**
 * Identifiers that may be used once, shared by every replica through the database: client assertion
 * {@code jti}s (RFC 7523 §3) and DPoP proof {@code jti}s (RFC 9449 §11.1).
 */
@ApplicationScoped
public class OneTimeIds {

    public static final String CLIENT_ASSERTION = "client_assertion";
    public static final String DPOP_PROOF = "dpop_proof";

    private final Sql sql;
    private final AuthorizationRepository authorizations;
    private final WakeableLoop housekeeping;

    OneTimeIds(Sql sql, AuthorizationRepository authorizations) {
        this.sql = sql;
        this.authorizations = authorizations;
        this.housekeeping = WakeableLoop.every("token-housekeeping", Duration.ofMinutes(10), this::purgeExpired);
    }

    void start(@Observes StartupEvent startup) {
        housekeeping.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        housekeeping.stop();
    }

    /**
     * Records the id in its own transaction, so a refused request cannot un-use it.
     *
     * @return true the first time, false for a replay
     */
    public boolean use(String kind, String id, Instant keepUntil) {
        return QuarkusTransaction.requiringNew().call(() -> sql.update("""
                insert into used_jti (kind, jti, expires_at) values (?1, ?2, ?3) on conflict do nothing""",
                kind, id, keepUntil) == 1);
    }

    /**
     * Forgets ids, revoked jtis, refresh tokens, PGP challenges, authorization requests, codes, consent and
     * browser sessions whose time is past, and login attempts a day old (every 10 minutes); returns rows removed.
     */
    public int purgeExpired() {
        return QuarkusTransaction.requiringNew().call(() ->
                sql.update("delete from used_jti where expires_at < now()")
                + sql.update("delete from revoked_token where expires_at < now()")
                + sql.update("delete from refresh_token where expires_at < now()")
                + sql.update("delete from pgp_challenge where expires_at < now()")
                + sql.update("delete from login_throttle where updated_at < now() - interval '1 day'")
                + authorizations.purgeExpired()
                + sql.update("delete from backchannel_request where expires_at < now() - interval '1 hour'"));
    }
}
