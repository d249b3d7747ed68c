package io.mandate.token.service;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mandate.token.AgentProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * An agent's access token presented to one of token-service's own endpoints: {@code Bearer} (RFC 6750)
 * for a bearer token, {@code DPoP} with a proof made by the bound key for this request, including
 * {@code ath}, for a DPoP-bound one (RFC 9449 §7). A bound token sent as Bearer is refused.
 */
@ApplicationScoped
public class AccessTokenUse {

    private final TokenIntrospection introspection;
    private final ProjectionRepository projections;
    private final DpopProofs dpop;
    private final TokenConfig config;

    AccessTokenUse(TokenIntrospection introspection, ProjectionRepository projections, DpopProofs dpop,
            TokenConfig config) {
        this.introspection = introspection;
        this.projections = projections;
        this.dpop = dpop;
        this.config = config;
    }

    /** The active agent the token belongs to, or 401 {@code invalid_token}. */
    public AgentProjection agent(String authorization, String proof, String method, String path) {
        int space = authorization == null ? -1 : authorization.indexOf(' ');
        String scheme = space < 0 ? "" : authorization.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("DPoP")) {
            throw invalidToken("send the agent's access token as Authorization: Bearer or DPoP");
        }
        String token = authorization.substring(space + 1).trim();
        JWTClaimsSet claims = introspection.active(token)
                .orElseThrow(() -> invalidToken("the access token is not active"));
        if (!claims.getAudience().contains(config.defaultAudience())) {
            throw invalidToken("the access token is for another audience");
        }
        Object cnf = claims.getClaim("cnf");
        if (cnf instanceof Map<?, ?> confirmation && confirmation.get("jkt") instanceof String jkt) {
            if (!scheme.equalsIgnoreCase("DPoP") || proof == null) {
                throw invalidToken("this access token is DPoP-bound: send it as Authorization: DPoP with a proof");
            }
            if (!jkt.equals(dpop.verify(proof, method, config.issuer() + path, token))) {
                throw invalidToken("the DPoP proof was not made with the key this token is bound to");
            }
        } else if (scheme.equalsIgnoreCase("DPoP")) {
            throw invalidToken("this access token is not DPoP-bound: send it as Authorization: Bearer");
        }
        return projections.findAgent(claims.getSubject()).orElseThrow(() -> invalidToken("the access token is not active"));
    }

    private static OAuthException invalidToken(String description) {
        return new OAuthException(401, "invalid_token", description, Map.of("WWW-Authenticate",
                "Bearer error=\"invalid_token\", DPoP error=\"invalid_token\", algs=\"ES256 EdDSA RS256 PS256\""));
    }
}
