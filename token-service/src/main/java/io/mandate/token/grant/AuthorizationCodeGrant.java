package io.mandate.token.grant;

import io.mandate.eventing.outbox.EventNotAcknowledgedException;
import io.mandate.token.AgentProjection;
import io.mandate.token.authorize.AuthorizationCodes;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.AuthorizationRepository;
import io.mandate.token.repository.AuthorizationRepository.Code;
import io.mandate.token.repository.RefreshTokenRepository.Lent;
import io.mandate.token.repository.RevokedTokenRepository;
import io.mandate.token.service.ClientAuthenticator.AuthenticatedClient;
import io.mandate.token.service.RateLimiter;
import io.mandate.token.service.RefreshTokenFamilies;
import io.mandate.token.service.Target;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code authorization_code} grant (RFC 6749 §4.1.3 with OAuth 2.1's PKCE): a code is used once, by the
 * client it was issued to, with the redirect URI and the PKCE verifier of its request, within a minute. A
 * second use revokes what the first one issued. The token acts for the person under the grant their
 * consent made ({@code sub} the person, {@code act} the agent where the client is one), so revoking that
 * grant ends it as it ends every delegated token.
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements Grant {

    public static final String GRANT_TYPE = "authorization_code";
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final AuthorizationRepository codes;
    private final RevokedTokenRepository revokedTokens;
    private final RefreshTokenFamilies families;
    private final PersonTokens personTokens;
    private final RateLimiter limiter;
    private final TokenEvents events;

    private final Targets targets;

    AuthorizationCodeGrant(AuthorizationRepository codes, RevokedTokenRepository revokedTokens,
            RefreshTokenFamilies families, PersonTokens personTokens, RateLimiter limiter, TokenEvents events,
            Targets targets) {
        this.targets = targets;
        this.codes = codes;
        this.revokedTokens = revokedTokens;
        this.families = families;
        this.personTokens = personTokens;
        this.limiter = limiter;
        this.events = events;
    }

    @Override
    public String type() {
        return GRANT_TYPE;
    }

    /** A refusal that revoked what a replayed code issued still commits. */
    @Override
    @Transactional(dontRollbackOn = OAuthException.class)
    public Issued issue(TokenRequest request, Optional<AuthenticatedClient> authenticated, String dpopJkt) {
        AuthenticatedClient client = Grant.identified(authenticated);
        String presented = request.parameter("code");
        String verifier = request.parameter("code_verifier");
        if (presented == null || verifier == null || request.parameter("redirect_uri") == null) {
            throw OAuthException.invalidRequest("code, redirect_uri and code_verifier are required");
        }
        Code code = codes.lockCode(AuthorizationCodes.hash(presented))
                .orElseThrow(() -> OAuthException.invalidGrant("the authorization code is not valid"));
        if (code.usedAt() != null) {
            revokeFirstUse(code);
            throw OAuthException.invalidGrant("the authorization code was already used; what it issued is now revoked");
        }
        if (!Instant.now().isBefore(code.expiresAt())) {
            throw OAuthException.invalidGrant("the authorization code has expired");
        }
        if (!code.clientId().equals(client.agent().agentId)) {
            throw OAuthException.invalidGrant("the authorization code was issued to another client");
        }
        if (!client.agent().isPublicClient() && client.credentialId() == null) {
            throw OAuthException.invalidClient(false); // a confidential client proves who it is
        }
        if (!code.redirectUri().equals(request.parameter("redirect_uri"))) {
            throw OAuthException.invalidGrant("redirect_uri is not the one the authorization request named");
        }
        if (!VERIFIER.matcher(verifier).matches() || !Sha256.base64Url(verifier).equals(code.codeChallenge())) {
            throw OAuthException.invalidGrant("the code_verifier does not match the code_challenge (PKCE S256)");
        }
        Target target = targets.of(audience(request.parameters("resource"), code.resources()), code.tenantId());
        Targets.requireBinding(target, dpopJkt);
        Lent lent = new Lent(code.userId(), code.delegationId(), code.delegationExpiresAt(),
                "agent".equals(client.agent().clientType));
        AgentProjection agent = client.agent();
        List<String> scopes = personTokens.stillLent(agent, lent, code.scopes());
        RateLimiter.Allowance allowance = limiter.acquire(agent);
        var access = personTokens.issue(agent, lent, scopes, target, dpopJkt);
        RefreshTokenFamilies.Started refresh = code.offline()
                ? families.start(agent, client.credentialId(), access, lent) : null;
        codes.markCodeUsed(code.codeHash(), access.jti(), access.expiresAt(), refresh == null ? null : refresh.familyId());
        try {
            events.exchanged(agent.tenantId, agent.agentId, code.userId(), code.delegationId(), List.of(code.delegationId()),
                    List.of(agent.agentId), access.jti(), scopes, request);
        } catch (EventNotAcknowledgedException e) {
            throw new OAuthException(503, "temporarily_unavailable", "the token could not be recorded; retry");
        }
        return new Issued(access, refresh == null ? null : refresh.token(), allowance);
    }

    /** RFC 8707 at the token endpoint: a subset of the resources the code was issued for, or all of them. */
    private static List<String> audience(List<String> asked, List<String> bound) {
        if (asked.isEmpty()) {
            return bound;
        }
        if (!bound.containsAll(asked)) {
            throw OAuthException.invalidTarget("the code was not issued for " + asked);
        }
        return List.copyOf(asked);
    }

    private void revokeFirstUse(Code code) {
        if (code.accessJti() != null && code.accessExpiresAt().isAfter(Instant.now())
                && revokedTokens.revoke(code.accessJti(), code.clientId(), code.tenantId(), code.accessExpiresAt())) {
            events.revoked(code.tenantId(), code.clientId(), code.accessJti(), code.accessExpiresAt());
        }
        if (code.refreshFamilyId() != null) {
            families.revokeFamily(code.tenantId(), code.clientId(), code.refreshFamilyId());
        }
    }
}
