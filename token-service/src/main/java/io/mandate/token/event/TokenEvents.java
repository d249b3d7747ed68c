package io.mandate.token.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.envelope.Topics;
import io.mandate.eventing.outbox.EventPublisher;
import io.mandate.eventing.outbox.Outbox;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.repository.RefreshTokenRepository.RevokedAccessToken;
import io.mandate.token.repository.RefreshTokenRepository.RevokedFamily;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What token-service publishes. Issuing a token changes no database row, so these events go straight
 * to Kafka: {@code agent.verified} is acknowledged before the token is returned (the audit promise:
 * no token without its record); a failed verification is published without waiting.
 */
@ApplicationScoped
public class TokenEvents {

    public static final String AGENT_VERIFIED = "agent.verified";
    public static final String AGENT_VERIFICATION_FAILED = "agent.verification_failed";
    public static final String TOKEN_REVOKED = "token.revoked";
    public static final String HUMAN_LOGGED_IN = "human.logged_in";
    public static final String TOKEN_REFRESHED = "token.refreshed";
    public static final String SIGNING_KEY_ROTATED = "signing_key.rotated";
    public static final String REFRESH_TOKEN_REUSE_DETECTED = "refresh_token.reuse_detected";
    public static final String TOKEN_EXCHANGED = "token.exchanged";
    public static final String HUMAN_LOGIN_FAILED = "human.login_failed";
    public static final String CONSENT_GRANTED = "consent.granted";
    public static final String CONSENT_REVOKED = "consent.revoked";

    private static final Logger LOG = Logger.getLogger(TokenEvents.class);
    private static final Pattern AGENT_ID = Pattern.compile("agt_[0-9a-z]{1,60}");
    private static final Set<String> KNOWN_GRANT_TYPES = Set.of("client_credentials",
            "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange", "authorization_code");
    private static final int MAX_USER_AGENT = 256;

    private final Events events;
    private final EventPublisher publisher;
    private final Outbox outbox;

    TokenEvents(Events events, EventPublisher publisher, Outbox outbox) {
        this.events = events;
        this.publisher = publisher;
        this.outbox = outbox;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenRevoked(String tenantId, String agentId, String jti, Instant expiresAt, String refreshFamilyId,
            Instant issuedBefore, Integer refreshTokensRevoked, List<RevokedAccessToken> accessTokens) {
    }

    record HumanTokensRevoked(String tenantId, String userId, Instant issuedBefore, String reason) {
    }

    /** A human signed out: every token of theirs issued up to {@code issuedBefore} ends, at every service. */
    public void loggedOut(String tenantId, String userId, Instant issuedBefore) {
        outbox.add(Topics.TOKEN, events.create(TOKEN_REVOKED, userId, tenantId, userId, Actor.human(userId),
                new HumanTokensRevoked(tenantId, userId, issuedBefore, "logout")));
    }

    /** A revocation is a database change, so its event goes through the outbox in the same transaction. */
    public void revoked(String tenantId, String agentId, String jti, Instant expiresAt) {
        revoked(tenantId, agentId, new TokenRevoked(tenantId, agentId, jti, expiresAt, null, null, null, null));
    }

    /**
     * A refresh token family revoked by its client (RFC 7009), with the access tokens issued from it (so that
     * every service refuses them too).
     */
    public void familyRevoked(String tenantId, String agentId, String familyId, RevokedFamily revoked) {
        revoked(tenantId, agentId, new TokenRevoked(tenantId, agentId, null, null, familyId, null,
                revoked.refreshTokens(), revoked.accessTokens()));
    }

    /** Every token of the agent issued up to {@code issuedBefore} ({@code POST /v1/auth/revoke-tokens}). */
    public void allRevoked(String tenantId, String agentId, Instant issuedBefore, int refreshTokensRevoked) {
        revoked(tenantId, agentId, new TokenRevoked(tenantId, agentId, null, null, null, issuedBefore, refreshTokensRevoked, null));
    }

    private void revoked(String tenantId, String agentId, TokenRevoked payload) {
        outbox.add(Topics.TOKEN, events.create(TOKEN_REVOKED, agentId, tenantId, agentId, Actor.agent(agentId), payload));
    }

    record TokenRefreshed(String tenantId, String agentId, String familyId, String jti, List<String> scopes,
            boolean dpopBound) {
    }

    /** Through the outbox: the rotation is committed with it. */
    public void refreshed(String tenantId, String agentId, String familyId, String jti, List<String> scopes,
            boolean dpopBound) {
        outbox.add(Topics.TOKEN, events.create(TOKEN_REFRESHED, agentId, tenantId, agentId, Actor.agent(agentId),
                new TokenRefreshed(tenantId, agentId, familyId, jti, scopes, dpopBound)));
    }

    record ReuseDetected(String tenantId, String agentId, String familyId, int refreshTokensRevoked,
            List<RevokedAccessToken> accessTokens, String ip, String userAgent) {
    }

    /** A rotated refresh token came back: someone holds a copy. The family is revoked in the same transaction. */
    public void reuseDetected(String tenantId, String agentId, String familyId, RevokedFamily revoked,
            String ip, String userAgent) {
        outbox.add(Topics.TOKEN, events.create(REFRESH_TOKEN_REUSE_DETECTED, agentId, tenantId, agentId, Actor.SYSTEM,
                new ReuseDetected(tenantId, agentId, familyId, revoked.refreshTokens(), revoked.accessTokens(), ip,
                        userAgent)));
    }

    record SigningKeyRotated(String tenantId, String kid, String algorithm, String previousKid, Instant activatesAt) {
    }

    /** A new signing key (platform-wide, so no tenant); published now, signing from {@code activatesAt}. */
    public void signingKeyRotated(String kid, String algorithm, String previousKid, Instant activatesAt) {
        outbox.add(Topics.TOKEN, events.create(SIGNING_KEY_ROTATED, kid, null, kid, Actor.SYSTEM,
                new SigningKeyRotated(null, kid, algorithm, previousKid, activatesAt)));
    }

    /** {@code channel}: {@code api} ({@code POST /v1/auth/login}, {@code jti} its token) or {@code browser} (a page). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HumanLoggedIn(String tenantId, String userId, String jti, String ip, String userAgent, String channel) {
    }

    /** Through the outbox: the login cleared its failure counter in the same transaction. */
    public void loggedIn(HumanLoginRepository.Human human, String jti, String ip, String userAgent, String channel) {
        outbox.add(Topics.TOKEN, events.create(HUMAN_LOGGED_IN, human.userId(), human.tenantId(), human.userId(),
                Actor.human(human.userId()), new HumanLoggedIn(human.tenantId(), human.userId(), jti, ip,
                        printable(userAgent), channel)));
    }

    /** The account is named only when the username was one; never what was typed as the password. */
    record HumanLoginFailed(String tenantId, String userId, String reason, String ip, String userAgent, String channel) {
    }

    /** A refused sign-in ({@code unknown_user}, {@code wrong_password}, {@code disabled}, {@code throttled}), without waiting. */
    public void loginFailed(HumanLoginRepository.Human human, String reason, String ip, String userAgent, String channel) {
        String userId = human == null ? null : human.userId();
        String tenantId = human == null ? null : human.tenantId();
        publisher.publish(Topics.TOKEN, events.create(HUMAN_LOGIN_FAILED, userId, tenantId,
                userId == null ? "unknown" : userId, Actor.SYSTEM,
                new HumanLoginFailed(tenantId, userId, reason, ip, printable(userAgent), channel)))
                .exceptionally(e -> {
                    LOG.warnf("human.login_failed not published: %s", e.getMessage());
                    return null;
                });
    }

    record ConsentGranted(String tenantId, String userId, String clientId, String delegationId, List<String> scopes,
            boolean offlineAccess, List<String> resources, Instant expiresAt, boolean remembered) {
    }

    /** A person consented in the browser: the grant it made goes out with it, through the outbox. */
    public void consentGranted(String tenantId, String userId, String clientId, String delegationId, List<String> scopes,
            boolean offlineAccess, List<String> resources, Instant expiresAt, boolean remembered) {
        outbox.add(Topics.TOKEN, events.create(CONSENT_GRANTED, delegationId, tenantId, clientId, Actor.human(userId),
                new ConsentGranted(tenantId, userId, clientId, delegationId, scopes, offlineAccess, resources, expiresAt,
                        remembered)));
    }

    record ConsentRevoked(String tenantId, String userId, String clientId, String delegationId, String reason) {
    }

    /** Remembered consent ended because its grant was revoked; the next request asks the person again. */
    public void consentRevoked(String tenantId, String userId, String clientId, String delegationId, String reason) {
        outbox.add(Topics.TOKEN, events.create(CONSENT_REVOKED, delegationId, tenantId, clientId, Actor.SYSTEM,
                new ConsentRevoked(tenantId, userId, clientId, delegationId, reason)));
    }

    record AgentVerified(String tenantId, String agentId, String grantType, String clientAuthMethod, String jti,
            List<String> scopes, String ip, String userAgent) {
    }

    record AgentVerificationFailed(String tenantId, String agentId, String grantType, String reason, String ip,
            String userAgent) {
    }

    /** Completes once Kafka acknowledged; fails with {@link io.mandate.eventing.outbox.EventNotAcknowledgedException} otherwise. */
    public CompletableFuture<Void> verified(String tenantId, String agentId, String grantType, String clientAuthMethod,
            String jti, List<String> scopes, TokenRequest request) {
        var payload = new AgentVerified(tenantId, agentId, grantType, clientAuthMethod, jti, scopes,
                request.ip(), request.userAgent());
        return publisher.publishAcknowledged(Topics.TOKEN,
                events.create(AGENT_VERIFIED, agentId, tenantId, agentId, Actor.agent(agentId), payload));
    }

    record TokenExchanged(String tenantId, String agentId, String userId, String delegationId, List<String> chain,
            List<String> chainAgents, String jti, List<String> scopes, String ip, String userAgent, String grantType) {
    }

    /**
     * A token acting for a person was minted (token exchange, or an authorization code: {@code grant_type} says
     * which); like {@link #verified}, blocks until Kafka acknowledged.
     */
    public void exchanged(String tenantId, String agentId, String userId, String delegationId, List<String> chain,
            List<String> chainAgents, String jti, List<String> scopes, TokenRequest request) {
        var payload = new TokenExchanged(tenantId, agentId, userId, delegationId, chain, chainAgents, jti, scopes,
                request.ip(), printable(request.userAgent()), request.grantType());
        publisher.publishAndAwait(Topics.TOKEN,
                events.create(TOKEN_EXCHANGED, agentId, tenantId, agentId, Actor.agent(agentId), payload));
    }

    /**
     * Never carries the presented secret: only the claimed client id and why it was refused. Everything
     * here comes from a request nobody authenticated, so it goes in only in a shape we know: a client id
     * of the agent-id grammar, a grant type we implement, a bounded user agent of printable text.
     */
    public void verificationFailed(String claimedAgentId, String tenantId, TokenRequest request, String reason) {
        String agentId = claimedAgentId != null && AGENT_ID.matcher(claimedAgentId).matches() ? claimedAgentId : null;
        String grantType = request.grantType() != null && KNOWN_GRANT_TYPES.contains(request.grantType())
                ? request.grantType() : null;
        var payload = new AgentVerificationFailed(tenantId, agentId, grantType, reason, request.ip(),
                printable(request.userAgent()));
        publisher.publish(Topics.TOKEN, events.create(AGENT_VERIFICATION_FAILED, agentId, tenantId,
                agentId == null ? "unknown" : agentId, Actor.SYSTEM, payload))
                .exceptionally(e -> {
                    LOG.warnf("agent.verification_failed not published: %s", e.getMessage());
                    return null;
                });
    }

    /** At most {@value #MAX_USER_AGENT} characters, control characters replaced. */
    private static String printable(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > MAX_USER_AGENT ? clean.substring(0, MAX_USER_AGENT) : clean;
    }
}
