package io.mandate.token.grant;

import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.RateLimiter;

/** What a grant hands out: the access token, a refresh token or null, and the agent's rate-limit standing. */
public record Issued(AccessTokens.AccessToken access, String refreshToken, RateLimiter.Allowance allowance) {
}
