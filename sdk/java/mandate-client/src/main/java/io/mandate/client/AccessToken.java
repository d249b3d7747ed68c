package io.mandate.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A token endpoint's answer: the access token, how it is presented ({@code Bearer} or {@code DPoP}), when it
 * expires, its scopes, and a refresh token when one came with it. {@link #toString()} never shows a token.
 */
public record AccessToken(String value, String tokenType, Instant issuedAt, Instant expiresAt, List<String> scopes,
        String refreshToken, String issuedTokenType) {

    static AccessToken from(Map<String, Object> body, Instant now) {
        String value = Json.string(body, "access_token");
        if (value == null) {
            throw new MandateException(200, "invalid_response", "the token endpoint's answer has no access_token",
                    null, null);
        }
        long expiresIn = body.get("expires_in") instanceof Number n ? n.longValue() : 300;
        String scope = Json.string(body, "scope");
        return new AccessToken(value, body.get("token_type") instanceof String t ? t : "Bearer", now,
                now.plusSeconds(expiresIn), scope == null || scope.isBlank() ? List.of()
                        : Arrays.asList(scope.trim().split(" +")), Json.string(body, "refresh_token"),
                Json.string(body, "issued_token_type"));
    }

    /** True when the token is bound to a DPoP key and must go with a proof. */
    public boolean dpopBound() {
        return "DPoP".equalsIgnoreCase(tokenType);
    }

    /** The {@code Authorization} header value: {@code Bearer …} or {@code DPoP …}. */
    public String authorization() {
        return (dpopBound() ? "DPoP " : "Bearer ") + value;
    }

    /** True while more than {@code margin} of the token's life is left at {@code now}. */
    public boolean usableAt(Instant now, Duration margin) {
        return now.plus(margin).isBefore(expiresAt);
    }

    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[" + tokenType + ", expires " + expiresAt + ", scopes " + scopes
                + (refreshToken == null ? "" : ", with refresh token") + "]";
    }
}
