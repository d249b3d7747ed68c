package io.mandate.token.grant;

import io.mandate.api.TypeIds;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.repository.RefreshTokenRepository;
import io.mandate.token.repository.RefreshTokenRepository.Row;
import io.mandate.token.repository.RefreshTokenRepository.Status;
import io.mandate.token.repository.RevokedTokenRepository;
import io.mandate.token.rest.OAuthException;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.RateLimiter;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Opaque refresh tokens ({@code mnd_rt_…}, only their SHA-256 stored) grouped in families. Each use
 * rotates: the token presented becomes {@code rotated}, a new one joins its family. A rotated token
 * presented again means a copy exists, so the whole family and the access tokens issued from it are
 * revoked and {@code refresh_token.reuse_detected} is published (OAuth 2.0 Security BCP, RFC 9700 §4.14).
 */
@ApplicationScoped
public class RefreshTokens {

    public static final String GRANT_TYPE = "refresh_token";
    public static final String PREFIX = "mnd_rt_";

    private final RefreshTokenRepository repository;
    private final RevokedTokenRepository revoked;
    private final ProjectionRepository projections;
    private final AccessTokens tokens;
    private final RateLimiter limiter;
    private final TokenEvents events;
    private final TokenConfig config;

    RefreshTokens(RefreshTokenRepository repository, RevokedTokenRepository revoked, ProjectionRepository projections,
            AccessTokens tokens, RateLimiter limiter, TokenEvents events, TokenConfig config) {
        this.repository = repository;
        this.revoked = revoked;
        this.projections = projections;
        this.tokens = tokens;
        this.limiter = limiter;
        this.events = events;
        this.config = config;
    }

    /**
     * Starts a family beside the access token just issued; bound to its DPoP key if it has one. Stored only
     * if {@code recorded} (run before the commit) returns: what it throws rolls the row back.
     */
    @Transactional
    public String start(AgentProjection agent, String credentialId, AccessTokens.AccessToken access, Runnable recorded) {
        String token = PREFIX + TypeIds.randomToken(32);
        repository.insert(row(token, TypeIds.newId("rtf"), agent, credentialId, access.scopes(), access.dpopJkt(), access));
        recorded.run();
        return token;
    }

    /**
     * Rotates {@code presented}: a new access token (scopes ⊆ the family's, and only those the agent still
     * holds) and a new refresh token. A refusal that revoked a family still commits.
     *
     * @param clientAgentId the authenticated client, or null on the seed flow where the token alone is proof
     * @param proofJkt the thumbprint of a valid DPoP proof sent with the request, or null
     */
    @Transactional(dontRollbackOn = OAuthException.class)
    public Issued rotate(String presented, String clientAgentId, String requestedScope, String proofJkt, TokenRequest origin) {
        Row row = repository.lock(hash(presented))
                .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is not valid"));
        if (clientAgentId != null && !row.agentId().equals(clientAgentId)) {
            throw OAuthException.invalidGrant("the refresh token was not issued to this client");
        }
        if (row.status() == Status.rotated) {
            RefreshTokenRepository.RevokedFamily revoked = repository.revokeFamily(row.familyId());
            events.reuseDetected(row.tenantId(), row.agentId(), row.familyId(), revoked, origin.ip(), origin.userAgent());
            throw OAuthException.invalidGrant("the refresh token was already used; its whole family is now revoked");
        }
        if (row.status() == Status.revoked || !Instant.now().isBefore(row.expiresAt())) {
            throw OAuthException.invalidGrant("the refresh token is revoked or expired");
        }
        if (row.dpopJkt() != null && !row.dpopJkt().equals(proofJkt)) {
            throw OAuthException.invalidGrant("the refresh token is bound to a DPoP key; send a proof made with it");
        }
        AgentProjection agent = projections.findAgent(row.agentId()).filter(AgentProjection::isActive)
                .orElseThrow(() -> OAuthException.invalidGrant("the agent is not active"));
        Optional<CredentialProjection> credential = projections.findCredentialById(row.credentialId());
        if (credential.isEmpty() || !credential.get().isActive() || credential.get().isExpired(Instant.now())) {
            throw OAuthException.invalidGrant("the credential this refresh token was issued on is no longer valid");
        }
        RateLimiter.Allowance allowance = limiter.acquire(agent);
        List<String> scopes = TokenPolicy.scopes(requestedScope, TokenPolicy.stillHeld(row.scopes(), agent.permissions));
        String jkt = row.dpopJkt() != null ? row.dpopJkt() : proofJkt;
        AccessTokens.AccessToken access = tokens.issue(agent, scopes, row.audience(), jkt);
        repository.markRotated(row.tokenHash());
        String next = PREFIX + TypeIds.randomToken(32);
        repository.insert(row(next, row.familyId(), agent, row.credentialId(), row.scopes(), row.dpopJkt(), access));
        events.refreshed(agent.tenantId, agent.agentId, row.familyId(), access.jti(), scopes, jkt != null);
        return new Issued(access, next, allowance);
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

    /** An active token of the family; it keeps the family's scopes and DPoP key, whatever one access token narrowed. */
    private Row row(String token, String familyId, AgentProjection agent, String credentialId, List<String> familyScopes,
            String familyJkt, AccessTokens.AccessToken access) {
        return new Row(hash(token), familyId, agent.agentId, agent.tenantId, credentialId, familyScopes, access.audience(),
                familyJkt, access.jti(), access.expiresAt(), Status.active,
                Instant.now().plus(config.refreshTokenLifetime()).truncatedTo(ChronoUnit.MICROS));
    }

    static String hash(String token) {
        return Sha256.base64Url(token);
    }
}
