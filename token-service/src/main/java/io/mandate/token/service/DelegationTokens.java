package io.mandate.token.service;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.mandate.jose.DelegationStatements;
import io.mandate.token.config.TokenConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads delegation tokens ({@code typ: delegation+jwt}, EdDSA) signed by delegation-service, checked
 * against its published keys. The keys are fetched once and again only when a token names an unknown
 * one (at most every {@code keys-refresh-min-interval}, with a timeout): no call on the hot path.
 */
@ApplicationScoped
public class DelegationTokens {

    private static final Logger LOG = Logger.getLogger(DelegationTokens.class);

    /** One hop: a grant and its delegate, root first. */
    public record Link(String delegationId, String agentId) {
    }

    /** A verified, unexpired delegation token. {@code chain} ends with this grant. */
    public record Delegation(String delegationId, String tenantId, String userId, String agentId, List<String> scopes,
            List<Link> chain, Instant expiresAt) {

        public List<String> chainIds() {
            return chain.stream().map(Link::delegationId).toList();
        }
    }

    private final TokenConfig.Delegation config;
    private volatile JWKSet keys = new JWKSet();
    private volatile long fetchedAtNanos;
    private volatile boolean fetched;

    DelegationTokens(TokenConfig config) {
        this.config = config.delegation();
    }

    /** The delegation the token states, if delegation-service signed it and it has not expired. */
    public Optional<Delegation> verify(String token) {
        return DelegationStatements.verify(token, this::key).flatMap(this::claims);
    }

    private Optional<Delegation> claims(Map<String, Object> claims) {
        if (!config.issuer().equals(claims.get("iss")) || !(claims.get("exp") instanceof Number exp)
                || !(claims.get("delegation_id") instanceof String id) || !(claims.get("tenant_id") instanceof String tenant)
                || !(claims.get("sub") instanceof String user) || !(claims.get("agent_id") instanceof String agent)
                || !(claims.get("scope") instanceof String scope) || !(claims.get("chain") instanceof List<?> links)
                || links.isEmpty()) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.longValue());
        if (!expiresAt.isAfter(Instant.now())) {
            return Optional.empty();
        }
        List<Link> chain = new ArrayList<>();
        for (Object link : links) {
            if (!(link instanceof Map<?, ?> hop) || !(hop.get("delegation_id") instanceof String hopId)
                    || !(hop.get("agent_id") instanceof String hopAgent)) {
                return Optional.empty();
            }
            chain.add(new Link(hopId, hopAgent));
        }
        Link last = chain.get(chain.size() - 1);
        if (!last.delegationId().equals(id) || !last.agentId().equals(agent)) {
            return Optional.empty();
        }
        List<String> scopes = List.of(scope.trim().split(" +"));
        return Optional.of(new Delegation(id, tenant, user, agent, scopes, List.copyOf(chain), expiresAt));
    }

    private JWK key(String kid) {
        JWK key = keys.getKeyByKeyId(kid);
        if (key == null && mayFetch()) {
            fetch();
            key = keys.getKeyByKeyId(kid);
        }
        return key;
    }

    private boolean mayFetch() {
        return !fetched || System.nanoTime() - fetchedAtNanos > config.keysRefreshMinInterval().toNanos();
    }

    private synchronized void fetch() {
        if (fetched && System.nanoTime() - fetchedAtNanos <= config.keysRefreshMinInterval().toNanos()) {
            return;
        }
        int timeout = (int) config.keysTimeout().toMillis();
        try {
            keys = JWKSet.load(URI.create(config.keysUrl()).toURL(), timeout, timeout, 64 * 1024);
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.warnf("delegation keys not fetched from %s: %s", config.keysUrl(), e.getMessage());
        } finally {
            fetched = true;
            fetchedAtNanos = System.nanoTime();
        }
    }
}
