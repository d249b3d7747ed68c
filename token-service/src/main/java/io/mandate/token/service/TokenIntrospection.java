package io.mandate.token.service;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mandate.token.AgentProjection;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.repository.RevokedDelegationRepository;
import io.mandate.token.repository.RevokedTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662 introspection and RFC 7009 revocation of access tokens. A token is active only if this
 * server signed it, it has not expired, its jti was not revoked, its agent is active now, and (for a
 * delegated token) its delegation grant was not revoked.
 */
@ApplicationScoped
public class TokenIntrospection {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final AccessTokens tokens;
    private final RevokedTokenRepository revoked;
    private final ProjectionCache cache;
    private final TokenEvents events;
    private final RevokedDelegationRepository revokedDelegations;

    TokenIntrospection(AccessTokens tokens, RevokedTokenRepository revoked, ProjectionCache cache,
            TokenEvents events, RevokedDelegationRepository revokedDelegations) {
        this.revokedDelegations = revokedDelegations;
        this.tokens = tokens;
        this.revoked = revoked;
        this.cache = cache;
        this.events = events;
    }

    /**
     * The claims of an access token that is active now: signed by a published key, unexpired, not
     * revoked (by jti or by its agent's revoke-all), and its agent active.
     */
    public Optional<JWTClaimsSet> active(String token) {
        return tokens.verify(token).filter(claims -> {
            // A delegated token's sub is the human; the agent acting is its client_id.
            String delegationId = (String) claims.getClaim("delegation_id");
            String agentId = delegationId == null ? claims.getSubject() : (String) claims.getClaim("client_id");
            return claims.getClaim("tenant_id") != null && agentId != null
                    && !revoked.isRevoked(claims.getJWTID(), agentId, claims.getIssueTime().toInstant())
                    && cache.agent(agentId).map(AgentProjection::isActive).orElse(false)
                    && (delegationId == null || !revokedDelegations.anyRevoked(List.of(delegationId)));
        });
    }

    /** The introspection response for a caller of {@code callerTenantId}: other tenants' tokens are inactive. */
    public Map<String, Object> introspect(String token, String callerTenantId) {
        Optional<JWTClaimsSet> active = active(token).filter(c -> callerTenantId.equals(c.getClaim("tenant_id")));
        if (active.isEmpty()) {
            return INACTIVE;
        }
        JWTClaimsSet claims = active.get();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("active", true);
        Object cnf = claims.getClaim("cnf");
        response.put("token_type", cnf == null ? "Bearer" : "DPoP");
        if (cnf != null) {
            response.put("cnf", cnf);
        }
        for (String claim : new String[] {"scope", "client_id", "sub", "iss", "jti", "tenant_id", "tier", "trust_level"}) {
            response.put(claim, claims.getClaim(claim));
        }
        if (claims.getClaim("delegation_id") != null) {
            response.put("act", claims.getClaim("act"));
            response.put("delegation_id", claims.getClaim("delegation_id"));
        }
        response.put("aud", claims.getAudience().size() == 1 ? claims.getAudience().get(0) : claims.getAudience());
        response.put("exp", claims.getExpirationTime().getTime() / 1000);
        response.put("iat", claims.getIssueTime().getTime() / 1000);
        response.put("nbf", claims.getNotBeforeTime().getTime() / 1000);
        return response;
    }

    /**
     * Revokes an access token its own client presents. Anything else (not ours, expired, another
     * client's) is ignored, as RFC 7009 §2.2 asks: the answer is the same either way.
     */
    @Transactional
    public void revoke(String token, AgentProjection caller) {
        Optional<JWTClaimsSet> verified = tokens.verify(token);
        if (verified.isEmpty() || !caller.agentId.equals(verified.get().getClaim("client_id"))) {
            return;
        }
        JWTClaimsSet claims = verified.get();
        if (revoked.revoke(claims.getJWTID(), caller.agentId, caller.tenantId, claims.getExpirationTime().toInstant())) {
            events.revoked(caller.tenantId, caller.agentId, claims.getJWTID(), claims.getExpirationTime().toInstant());
        }
    }
}
