package io.mandate.token.grant;

import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.ClientAuthenticator.AuthenticatedClient;
import io.mandate.token.service.RateLimiter;
import io.mandate.token.service.RefreshTokenFamilies;
import io.mandate.token.service.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The OAuth {@code client_credentials} grant (RFC 6749 §4.4) for agents, and the seed flow
 * {@code /v1/auth/verify} on the same path. Writes nothing to the database unless a refresh token goes
 * with the token: the token is returned once Kafka acknowledged its {@code agent.verified} event.
 */
@ApplicationScoped
public class ClientCredentialsGrant implements Grant {

    public static final String GRANT_TYPE = "client_credentials";

    private static final Logger LOG = Logger.getLogger(ClientCredentialsGrant.class);

    private final TokenPolicy policy;
    private final RateLimiter limiter;
    private final AccessTokens tokens;
    private final RefreshTokenFamilies refreshTokens;
    private final TokenEvents events;
    private final Targets targets;

    ClientCredentialsGrant(TokenPolicy policy, RateLimiter limiter, AccessTokens tokens,
            RefreshTokenFamilies refreshTokens, TokenEvents events, Targets targets) {
        this.targets = targets;
        this.policy = policy;
        this.limiter = limiter;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.events = events;
    }

    @Override
    public String type() {
        return GRANT_TYPE;
    }

    /** Blocking. */
    @Override
    public Issued issue(TokenRequest request, Optional<AuthenticatedClient> authenticated, String dpopJkt) {
        AuthenticatedClient client = Grant.confidential(authenticated, GRANT_TYPE);
        return await(issue(client, request, GRANT_TYPE, dpopJkt, refreshTokens(client), catalogue(client)));
    }

    /**
     * The same grant for a client {@link ClientAuthenticator#fromMemory} found, unless its tenant gives a
     * refresh token with it (stored in the database), or its scope catalogue or a resource it names is not
     * in memory: then empty. Nothing here blocks, so it may run on the event loop.
     */
    public Optional<CompletableFuture<Issued>> grantWithoutDatabase(AuthenticatedClient client, TokenRequest request) {
        if (refreshTokens(client) || !targets.inMemory(request)) {
            return Optional.empty();
        }
        return policy.cachedCatalogue(client.agent().tenantId)
                .map(catalogue -> issue(client, request, GRANT_TYPE, null, false, catalogue));
    }

    private ScopeCatalogue catalogue(AuthenticatedClient client) {
        return policy.catalogue(client.agent().tenantId);
    }

    private boolean refreshTokens(AuthenticatedClient client) {
        return policy.refreshTokensForClientCredentials(client.agent().tenantId);
    }

    /** Tokens for an already authenticated agent (the seed flow always adds a refresh token). Blocking. */
    public Issued issueNow(AuthenticatedClient client, TokenRequest request, String grantType, boolean withRefreshToken) {
        return await(issue(client, request, grantType, null, withRefreshToken, catalogue(client)));
    }

    /**
     * Completes once Kafka acknowledged {@code agent.verified} (at once for a tenant that does not wait
     * for it). With a refresh token it blocks: the token is stored in a transaction that commits only
     * after the acknowledgement, so a refused request leaves no refresh token behind.
     */
    private CompletableFuture<Issued> issue(AuthenticatedClient client, TokenRequest request, String grantType,
            String dpopJkt, boolean withRefreshToken, ScopeCatalogue catalogue) {
        Grant.ownAuthority(client, grantType);
        RateLimiter.Allowance allowance = limiter.acquire(client.agent());
        Target target = targets.of(request, client.agent().tenantId);
        Targets.requireBinding(target, dpopJkt);
        List<String> scopes = TokenPolicy.scopes(catalogue, request.parameter("scope"), client.agent().permissions,
                target.resource());
        AccessTokens.AccessToken token = tokens.issue(client.agent(), scopes, target, dpopJkt, client.trustLevel(),
                client.fingerprint());
        if (withRefreshToken) {
            String refreshToken = refreshTokens.start(client.agent(), client.credentialId(), token,
                    () -> await(verified(client, request, grantType, token, scopes)));
            return CompletableFuture.completedFuture(new Issued(token, refreshToken, allowance));
        }
        return verified(client, request, grantType, token, scopes)
                .thenApply(acknowledged -> new Issued(token, null, allowance));
    }

    /** Publishes {@code agent.verified}; fails with a 503 refusal when its tenant waits and Kafka did not acknowledge. */
    private CompletableFuture<Void> verified(AuthenticatedClient client, TokenRequest request, String grantType,
            AccessTokens.AccessToken token, List<String> scopes) {
        CompletableFuture<Void> acknowledged = events.verified(client.agent().tenantId, client.agent().agentId, grantType,
                client.method(), token.jti(), scopes, request);
        if (!policy.verifiedEventAcknowledged(client.agent().tenantId)) {
            acknowledged.exceptionally(notAcknowledged -> {
                LOG.warnf("agent.verified for token %s not acknowledged: %s", token.jti(), notAcknowledged.getMessage());
                return null;
            });
            return CompletableFuture.completedFuture(null);
        }
        return acknowledged.handle((ok, notAcknowledged) -> {
            if (notAcknowledged != null) {
                throw new CompletionException(
                        new OAuthException(503, "temporarily_unavailable", "the token could not be recorded; retry"));
            }
            return null;
        });
    }

    private static <T> T await(CompletableFuture<T> completion) {
        try {
            return completion.join();
        } catch (CompletionException e) {
            throw (OAuthException) e.getCause();
        }
    }
}
