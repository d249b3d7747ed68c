package io.mandate.token.service;

import io.mandate.token.AgentProjection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Lets tests mint a token as of another instant (an expired one) with the service's real key. */
@ApplicationScoped
public class AccessTokensTestAccess {

    private final AccessTokens tokens;

    AccessTokensTestAccess(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** Any claims, signed with the service's real active key and at+jwt header (attack tests). */
    public String sign(com.nimbusds.jwt.JWTClaimsSet claims) {
        return tokens.sign(claims, com.nimbusds.jose.JWSAlgorithm.ES256);
    }

    public String issueAt(AgentProjection agent, List<String> scopes, Duration offsetFromNow) {
        return tokens.issue(agent, scopes, Target.of(List.of("mandate")), null, agent.trustLevel, Instant.now().plus(offsetFromNow)).jwt();
    }
}
