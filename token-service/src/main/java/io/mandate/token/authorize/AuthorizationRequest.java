package io.mandate.token.authorize;

import java.time.Instant;
import java.util.List;

/**
 * An authorization request that passed every check and waits for the person: who asks (the client, of
 * its tenant), where the answer goes, what for (permissions, {@code offline_access}, resources), and the
 * PKCE challenge the code will be bound to.
 *
 * @param requestId random; the {@code request_uri} of a pushed request and the pages' {@code request}
 * @param prompt {@code none}, {@code login}, {@code consent} or null
 */
public record AuthorizationRequest(String requestId, String tenantId, String clientId, String redirectUri,
        List<String> scopes, boolean offline, List<String> resources, String state, String codeChallenge,
        String prompt, boolean pushed, Instant expiresAt) {
}
