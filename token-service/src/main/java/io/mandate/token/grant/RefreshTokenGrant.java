package io.mandate.token.grant;

import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.repository.RefreshTokenRepository.Row;
import io.mandate.token.repository.RefreshTokenRepository.Status;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.ClientAuthenticator.AuthenticatedClient;
import io.mandate.token.service.RateLimiter;
import io.mandate.token.service.RefreshTokenFamilies;
import io.mandate.token.service.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code refresh_token} grant (RFC 6749 §6): every use rotates the token. A rotated token presented
 * again means a copy exists, so the whole family and the access tokens issued from it are revoked and
 * {@code refresh_token.reuse_detected} is published (OAuth 2.0 Security BCP, RFC 9700 §4.14).
 */
@ApplicationScoped
public class RefreshTokenGrant implements Grant {

    public static final String GRANT_TYPE = "refresh_token";

    private final RefreshTokenFamilies families;
    private final ProjectionRepository projections;
    private final AccessTokens tokens;
    private final PersonTokens personTokens;
    private final RateLimiter limiter;
    private final TokenEvents events;
    private final TokenPolicy policy;
    private final Targets targets;

    RefreshTokenGrant(RefreshTokenFamilies families, ProjectionRepository projections, AccessTokens tokens,
            PersonTokens personTokens, RateLimiter limiter, TokenEvents events, TokenPolicy policy, Targets targets) {
        this.targets = targets;
        this.personTokens = personTokens;
        this.policy = policy;
        this.families = families;
        this.projections = projections;
        this.tokens = tokens;
        this.limiter = limiter;
        this.events = events;
    }

    @Override
    public String type() {
        return GRANT_TYPE;
    }

    @Override
    @Transactional(dontRollbackOn = OAuthException.class)
    public Issued issue(TokenRequest request, Optional<AuthenticatedClient> client, String dpopJkt) {
        String token = request.parameter("refresh_token");
        if (token == null) {
            throw OAuthException.invalidRequest("refresh_token is required");
        }
        return rotate(token, Grant.identified(client).agent().agentId, request.parameter("scope"), dpopJkt, request);
    }

    /**
     * Rotates {@code presented}: a new access token (scopes ⊆ the family's, and only those the agent still
     * holds; the family's audience, or part of it) and a new refresh token. A refusal that revoked a family
     * still commits.
     *
     * @param clientAgentId the authenticated client, or null on the seed flow where the token alone is proof
     * @param proofJkt the thumbprint of a valid DPoP proof sent with the request, or null
     */
    @Transactional(dontRollbackOn = OAuthException.class)
    public Issued rotate(String presented, String clientAgentId, String requestedScope, String proofJkt, TokenRequest origin) {
        Row row = families.lock(presented).orElseThrow(() -> OAuthException.invalidGrant("the refresh token is not valid"));
        if (clientAgentId != null && !row.agentId().equals(clientAgentId)) {
            throw OAuthException.invalidGrant("the refresh token was not issued to this client");
        }
        if (row.status() == Status.rotated) {
            families.reused(row, origin);
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
        if (row.credentialId() != null) { // null: issued to a public client, which holds no credential
            Optional<CredentialProjection> credential = projections.findCredentialById(row.credentialId());
            if (credential.isEmpty() || !credential.get().isActive() || credential.get().isExpired(Instant.now())) {
                throw OAuthException.invalidGrant("the credential this refresh token was issued on is no longer valid");
            }
        }
        Target target = targets.of(narrowed(row.audience(), origin), agent.tenantId);
        String jkt = row.dpopJkt() != null ? row.dpopJkt() : proofJkt;
        Targets.requireBinding(target, jkt);
        ScopeCatalogue catalogue = policy.catalogue(agent.tenantId);
        List<String> familyScopes = row.lent() == null ? TokenPolicy.stillHeld(catalogue, row.scopes(), agent.permissions)
                : personTokens.stillLent(agent, row.lent(), row.scopes());
        List<String> listed = target.resource().map(r -> TokenPolicy.understood(r).unknown(familyScopes)).orElse(List.of());
        List<String> stillListed = familyScopes.stream().filter(scope -> !listed.contains(scope)).toList();
        RateLimiter.Allowance allowance = limiter.acquire(agent);
        List<String> scopes = requestedScope == null ? stillListed
                : TokenPolicy.scopes(catalogue, requestedScope, stillListed, target.resource());
        AccessTokens.AccessToken access = row.lent() == null ? tokens.issue(agent, scopes, target, jkt)
                : personTokens.issue(agent, row.lent(), scopes, target, jkt);
        String next = families.rotate(row, agent, access);
        events.refreshed(agent.tenantId, agent.agentId, row.familyId(), access.jti(), scopes, jkt != null);
        return new Issued(access, next, allowance);
    }

    /** The family's audience, or the part of it the request names; naming anything else is {@code invalid_target}. */
    private static List<String> narrowed(List<String> audience, TokenRequest origin) {
        List<String> requested = origin == null ? List.of() : Targets.requested(origin);
        if (!audience.containsAll(requested)) {
            throw OAuthException.invalidTarget("the refresh token was issued for " + String.join(" ", audience));
        }
        return requested.isEmpty() ? audience : requested;
    }
}
