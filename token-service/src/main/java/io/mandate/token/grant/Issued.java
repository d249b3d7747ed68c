package io.mandate.token.grant;

import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.RateLimiter;

/**
 * What a grant hands out: the access token, a refresh token or null, the agent's rate-limit standing, and the
 * RFC 9396 authorization details the token carries (null for none).
 */
public record Issued(AccessTokens.AccessToken access, String refreshToken, RateLimiter.Allowance allowance,
        Object authorizationDetails) {

    public Issued(AccessTokens.AccessToken access, String refreshToken, RateLimiter.Allowance allowance) {
        this(access, refreshToken, allowance, null);
    }
}
