package io.mandate.token.event;

import io.mandate.eventing.Actor;
import io.mandate.eventing.EventPublisher;
import io.mandate.eventing.Events;
import io.mandate.eventing.Outbox;
import io.mandate.eventing.Topics;
import io.mandate.token.grant.TokenRequest;
import io.mandate.token.repository.HumanLoginRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What token-service publishes. Issuing a token changes no database row, so these events go straight
 * to Kafka: {@code agent.verified} is acknowledged before the token is returned (the audit promise of
 * SPEC §2); a failed verification is published without waiting.
 */
@ApplicationScoped
public class TokenEvents {

    public static final String AGENT_VERIFIED = "agent.verified";
    public static final String AGENT_VERIFICATION_FAILED = "agent.verification_failed";
    public static final String TOKEN_REVOKED = "token.revoked";
    public static final String HUMAN_LOGGED_IN = "human.logged_in";

    private static final Logger LOG = Logger.getLogger(TokenEvents.class);

    private final Events events;
    private final EventPublisher publisher;
    private final Outbox outbox;

    TokenEvents(Events events, EventPublisher publisher, Outbox outbox) {
        this.events = events;
        this.publisher = publisher;
        this.outbox = outbox;
    }

    record TokenRevoked(String tenantId, String agentId, String jti, Instant expiresAt) {
    }

    /** A revocation is a database change, so its event goes through the outbox in the same transaction. */
    public void revoked(String tenantId, String agentId, String jti, Instant expiresAt) {
        outbox.add(Topics.TOKEN, events.create(TOKEN_REVOKED, agentId, tenantId, agentId, Actor.agent(agentId),
                new TokenRevoked(tenantId, agentId, jti, expiresAt)));
    }

    record HumanLoggedIn(String tenantId, String userId, String jti, String ip, String userAgent) {
    }

    /** Through the outbox: the login cleared its failure counter in the same transaction. */
    public void loggedIn(HumanLoginRepository.Human human, String jti, String ip, String userAgent) {
        outbox.add(Topics.TOKEN, events.create(HUMAN_LOGGED_IN, human.userId(), human.tenantId(), human.userId(),
                Actor.human(human.userId()), new HumanLoggedIn(human.tenantId(), human.userId(), jti, ip, userAgent)));
    }

    record AgentVerified(String tenantId, String agentId, String grantType, String clientAuthMethod, String jti,
            List<String> scopes, String ip, String userAgent) {
    }

    record AgentVerificationFailed(String tenantId, String agentId, String grantType, String reason, String ip,
            String userAgent) {
    }

    /** Blocks until Kafka acknowledged; throws {@link io.mandate.eventing.EventNotAcknowledgedException} otherwise. */
    public void verified(String tenantId, String agentId, String clientAuthMethod, String jti, List<String> scopes,
            TokenRequest request) {
        var payload = new AgentVerified(tenantId, agentId, request.grantType(), clientAuthMethod, jti, scopes,
                request.ip(), request.userAgent());
        publisher.publishAndAwait(Topics.TOKEN,
                events.create(AGENT_VERIFIED, agentId, tenantId, agentId, Actor.agent(agentId), payload));
    }

    /** Never carries the presented secret: only the claimed client id and why it was refused. */
    public void verificationFailed(String claimedAgentId, String tenantId, TokenRequest request, String reason) {
        String agentId = claimedAgentId == null || claimedAgentId.length() > 64 ? null : claimedAgentId;
        var payload = new AgentVerificationFailed(tenantId, agentId, request.grantType(), reason, request.ip(),
                request.userAgent());
        publisher.publish(Topics.TOKEN, events.create(AGENT_VERIFICATION_FAILED, agentId, tenantId,
                agentId == null ? "unknown" : agentId, Actor.SYSTEM, payload))
                .exceptionally(e -> {
                    LOG.warnf("agent.verification_failed not published: %s", e.getMessage());
                    return null;
                });
    }
}
