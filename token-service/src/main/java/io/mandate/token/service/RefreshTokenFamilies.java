package io.mandate.token.service;

import io.mandate.api.TypeIds;
import io.mandate.token.AgentProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.RefreshTokenRepository;
import io.mandate.token.repository.RefreshTokenRepository.Lent;
import io.mandate.token.repository.RefreshTokenRepository.Row;
import io.mandate.token.repository.RefreshTokenRepository.Status;
import io.mandate.token.repository.RevokedTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Where refresh tokens are kept: opaque ({@code mnd_rt_…}, only their SHA-256 stored) and grouped in
 * families. Each use rotates: the token presented becomes {@code rotated}, a new one joins its family.
 * A family ends as a whole, with the access tokens issued from it.
 */
@ApplicationScoped
public class RefreshTokenFamilies {

    public static final String PREFIX = "mnd_rt_";

    private final RefreshTokenRepository repository;
    private final RevokedTokenRepository revoked;
    private final TokenEvents events;
    private final TokenConfig config;

    RefreshTokenFamilies(RefreshTokenRepository repository, RevokedTokenRepository revoked, TokenEvents events,
            TokenConfig config) {
        this.repository = repository;
        this.revoked = revoked;
        this.events = events;
        this.config = config;
    }

    /**
     * Starts a family beside the access token just issued; bound to its DPoP key if it has one. Stored only
     * if {@code recorded} (run before the commit) returns: what it throws rolls the row back.
     */
    @Transactional
    public String start(AgentProjection agent, String credentialId, AccessTokens.AccessToken access, Runnable recorded) {
        String token = start(agent, credentialId, access, (Lent) null).token();
        recorded.run();
        return token;
    }

    /** A family's first token, and the family. */
    public record Started(String token, String familyId) {
    }

    /** Starts a family that carries a person's authority ({@code lent}), or the agent's own (null). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Started start(AgentProjection agent, String credentialId, AccessTokens.AccessToken access, Lent lent) {
        Started started = new Started(PREFIX + TypeIds.randomToken(32), TypeIds.newId("rtf"));
        repository.insert(row(started.token(), started.familyId(), agent, credentialId, access.scopes(), access.dpopJkt(),
                access, lent));
        return started;
    }

    /** The stored token {@code presented} stands for, locked until the caller's transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Row> lock(String presented) {
        return repository.lock(hash(presented));
    }

    /** Uses up {@code row} and returns its successor in the family, beside {@code access}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String rotate(Row row, AgentProjection agent, AccessTokens.AccessToken access) {
        repository.markRotated(row.tokenHash());
        String next = PREFIX + TypeIds.randomToken(32);
        repository.insert(row(next, row.familyId(), agent, row.credentialId(), row.scopes(), row.dpopJkt(), access,
                row.lent()));
        return next;
    }

    /** A used-up token came back, so a copy exists: its family ends and {@code refresh_token.reuse_detected} says so. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reused(Row row, TokenRequest origin) {
        events.reuseDetected(row.tenantId(), row.agentId(), row.familyId(), repository.revokeFamily(row.familyId()),
                origin.ip(), origin.userAgent());
    }

    /** Ends a family by its id (an authorization code used twice ends what its first use started). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeFamily(String tenantId, String agentId, String familyId) {
        events.familyRevoked(tenantId, agentId, familyId, repository.revokeFamily(familyId));
    }

    /** RFC 7009 for a refresh token its own client presents: its family ends. Anything else is ignored. */
    @Transactional
    public void revoke(String presented, String clientAgentId) {
        repository.lock(hash(presented)).filter(row -> row.agentId().equals(clientAgentId)).ifPresent(row -> {
            events.familyRevoked(row.tenantId(), row.agentId(), row.familyId(), repository.revokeFamily(row.familyId()));
        });
    }

    /** Ends every refresh token of the agent and every access token issued to it up to now. */
    @Transactional
    public RevokedAll revokeAll(AgentProjection agent) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int count = repository.revokeAgent(agent.agentId);
        revoked.cutOff(agent.agentId, agent.tenantId, now);
        events.allRevoked(agent.tenantId, agent.agentId, now, count);
        return new RevokedAll(count, now);
    }

    public record RevokedAll(int refreshTokensRevoked, Instant issuedBefore) {
    }

    /**
     * An active token of the family; it keeps the family's scopes and DPoP key, whatever one access token narrowed.
     * A family carrying a person's authority ends with the grant.
     */
    private Row row(String token, String familyId, AgentProjection agent, String credentialId, List<String> familyScopes,
            String familyJkt, AccessTokens.AccessToken access, Lent lent) {
        Instant expires = Instant.now().plus(config.refreshTokenLifetime()).truncatedTo(ChronoUnit.MICROS);
        if (lent != null && lent.delegationExpiresAt().isBefore(expires)) {
            expires = lent.delegationExpiresAt();
        }
        return new Row(hash(token), familyId, agent.agentId, agent.tenantId, credentialId, familyScopes, access.audience(),
                familyJkt, access.jti(), access.expiresAt(), Status.active, expires, lent);
    }

    static String hash(String token) {
        return Sha256.base64Url(token);
    }
}
