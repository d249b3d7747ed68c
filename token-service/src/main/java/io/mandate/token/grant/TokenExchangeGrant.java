package io.mandate.token.grant;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mandate.eventing.outbox.EventNotAcknowledgedException;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.AgentProjection;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.repository.RevokedDelegationRepository;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.ClientAuthenticator.AuthenticatedClient;
import io.mandate.token.service.DelegationTokens;
import io.mandate.token.service.DelegationTokens.Delegation;
import io.mandate.token.service.DelegationTokens.Link;
import io.mandate.token.service.RateLimiter;
import io.mandate.token.service.Target;
import io.mandate.token.service.TokenIntrospection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 8693 token exchange for delegation: the {@code subject_token} is a delegation token from
 * delegation-service, the actor is the delegate agent (its access token as {@code actor_token}, or its
 * own client authentication). The result acts for the human ({@code sub}) through the chain
 * ({@code act}, innermost the first hop), within the grant's scopes and expiry.
 */
@ApplicationScoped
public class TokenExchangeGrant implements Grant {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** The {@code subject_token_type} of a delegation token ({@code urn:ietf:params:oauth:token-type:jwt} is accepted too). */
    public static final String DELEGATION_TOKEN_TYPE = "urn:mandate:params:oauth:token-type:delegation";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    private final DelegationTokens delegations;
    private final RevokedDelegationRepository revoked;
    private final TokenIntrospection introspection;
    private final ProjectionRepository projections;
    private final HumanLoginRepository humans;
    private final TokenPolicy policy;
    private final RateLimiter limiter;
    private final AccessTokens tokens;
    private final TokenEvents events;
    private final Targets targets;

    TokenExchangeGrant(DelegationTokens delegations, RevokedDelegationRepository revoked,
            TokenIntrospection introspection, ProjectionRepository projections, HumanLoginRepository humans,
            TokenPolicy policy, RateLimiter limiter, AccessTokens tokens,
            TokenEvents events, Targets targets) {
        this.targets = targets;
        this.delegations = delegations;
        this.revoked = revoked;
        this.introspection = introspection;
        this.projections = projections;
        this.humans = humans;
        this.policy = policy;
        this.limiter = limiter;
        this.tokens = tokens;
        this.events = events;
    }

    @Override
    public String type() {
        return GRANT_TYPE;
    }

    @Override
    public String issuedTokenType() {
        return ACCESS_TOKEN_TYPE;
    }

    /** {@code dpopJkt} binds the result, and proves a bound actor token. */
    @Override
    public Issued issue(TokenRequest request, Optional<AuthenticatedClient> client, String dpopJkt) {
        String subjectToken = required(request, "subject_token");
        String subjectType = required(request, "subject_token_type");
        if (!DELEGATION_TOKEN_TYPE.equals(subjectType) && !JWT_TOKEN_TYPE.equals(subjectType)) {
            throw OAuthException.invalidRequest("subject_token_type must be " + DELEGATION_TOKEN_TYPE);
        }
        String requested = request.parameter("requested_token_type");
        if (requested != null && !ACCESS_TOKEN_TYPE.equals(requested)) {
            throw OAuthException.invalidRequest("only access tokens are issued (requested_token_type)");
        }
        AgentProjection actor = actor(request, client, dpopJkt);
        Delegation delegation = delegations.verify(subjectToken)
                .orElseThrow(() -> OAuthException.invalidGrant("the delegation token is not valid or has expired"));
        if (!delegation.tenantId().equals(actor.tenantId) || !delegation.agentId().equals(actor.agentId)) {
            throw OAuthException.invalidGrant("the actor is not the delegate of this grant");
        }
        if (revoked.anyRevoked(delegation.chainIds())) {
            throw OAuthException.invalidGrant("the delegation was revoked");
        }
        HumanLoginRepository.Authority human = humans.authority(delegation.userId())
                .filter(h -> h.tenantId().equals(delegation.tenantId()))
                .orElseThrow(() -> OAuthException.invalidGrant("the delegating human's account is disabled or unknown"));
        if (!human.mayLend()) {
            throw OAuthException.invalidGrant("the delegating human is no longer an owner or tenant admin");
        }
        ScopeCatalogue catalogue = policy.catalogue(actor.tenantId);
        Target target = targets.of(request, actor.tenantId);
        Targets.requireBinding(target, dpopJkt);
        List<String> scopes = TokenPolicy.scopes(catalogue, request.parameter("scope"), delegation.scopes(),
                target.resource());
        List<String> held = TokenPolicy.stillHeld(catalogue, scopes, actor.permissions);
        if (held.isEmpty() || (request.parameter("scope") != null && held.size() < scopes.size())) {
            throw OAuthException.invalidScope("the agent no longer holds what the grant lends");
        }
        held = TokenPolicy.stillHeld(catalogue, held, human.permissions());
        if (held.isEmpty() || (request.parameter("scope") != null && held.size() < scopes.size())) {
            throw OAuthException.invalidScope("the delegating human no longer holds what the grant lends");
        }
        RateLimiter.Allowance allowance = limiter.acquire(actor);
        AccessTokens.AccessToken token = tokens.issueDelegated(actor, new AccessTokens.Delegated(delegation.userId(),
                delegation.delegationId(), act(delegation.chain()), delegation.expiresAt()), held, target, dpopJkt);
        try {
            events.exchanged(actor.tenantId, actor.agentId, delegation.userId(), delegation.delegationId(),
                    delegation.chainIds(), delegation.chain().stream().map(Link::agentId).toList(), token.jti(), held,
                    request);
        } catch (EventNotAcknowledgedException e) {
            throw new OAuthException(503, "temporarily_unavailable", "the token could not be recorded; retry");
        }
        return new Issued(token, null, allowance);
    }

    /** The acting agent: from its {@code actor_token}, else the client the request authenticated. */
    private AgentProjection actor(TokenRequest request, Optional<AuthenticatedClient> client, String dpopJkt) {
        String actorToken = request.parameter("actor_token");
        if (actorToken == null) {
            if (request.parameter("actor_token_type") != null) {
                throw OAuthException.invalidRequest("actor_token_type without actor_token");
            }
            return Grant.confidential(client, GRANT_TYPE).agent();
        }
        if (!ACCESS_TOKEN_TYPE.equals(request.parameter("actor_token_type"))) {
            throw OAuthException.invalidRequest("actor_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        JWTClaimsSet claims = introspection.active(actorToken)
                .orElseThrow(() -> OAuthException.invalidGrant("the actor token is not active"));
        if (claims.getClaim("delegation_id") != null || !claims.getSubject().startsWith("agt_")) {
            throw OAuthException.invalidGrant("the actor token must be the agent's own, not a delegated one");
        }
        if (claims.getClaim("cnf") instanceof Map<?, ?> cnf && !Objects.equals(cnf.get("jkt"), dpopJkt)) {
            throw OAuthException.invalidGrant("the actor token is DPoP-bound: send a DPoP proof made with its key");
        }
        return projections.findAgent(claims.getSubject()).orElseThrow(() -> OAuthException.invalidGrant("the actor is not active"));
    }

    /** {@code act} for a chain A → B → C acted on by C: {sub: C, act: {sub: B, act: {sub: A}}}. */
    static Map<String, Object> act(List<Link> chain) {
        Map<String, Object> act = null;
        for (Link link : chain) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("sub", link.agentId());
            if (act != null) {
                outer.put("act", act);
            }
            act = outer;
        }
        return act;
    }

    private static String required(TokenRequest request, String name) {
        String value = request.parameter(name);
        if (value == null || value.isEmpty()) {
            throw OAuthException.invalidRequest(name + " is required");
        }
        return value;
    }
}
