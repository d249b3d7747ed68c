package io.mandate.resourceserver;

import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A checked Mandate access token: who it speaks for and what it allows. For a token an agent got for itself,
 * {@link #subject()} and {@link #agentId()} are the agent; for one that acts for a person (token exchange, consent,
 * CIBA), the subject is the person and {@link #actors()} names the agents, nearest first.
 */
public record MandateToken(String subject, String tenantId, String agentId, Integer trustLevel, List<String> scopes,
        List<String> actors, String delegationId, List<String> audience, Instant issuedAt, Instant expiresAt,
        String jti, String dpopThumbprint, Map<String, Object> claims) {

    public MandateToken {
        scopes = List.copyOf(scopes);
        actors = List.copyOf(actors);
        audience = List.copyOf(audience);
        claims = Map.copyOf(claims);
    }

    static MandateToken of(Map<String, Object> claims, List<String> audience, Instant issuedAt, Instant expiresAt) {
        Object scope = claims.get("scope");
        List<String> scopes = scope instanceof String s && !s.isBlank() ? Arrays.asList(s.trim().split(" +")) : List.of();
        return new MandateToken(string(claims, "sub"), string(claims, "tenant_id"), string(claims, "client_id"),
                claims.get("trust_level") instanceof Number n ? n.intValue() : null, scopes, actors(claims.get("act")),
                string(claims, "delegation_id"), audience, issuedAt, expiresAt, string(claims, "jti"),
                claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt ? jkt : null, claims);
    }

    /** True when the token acts for someone other than the agent holding it (it has an {@code act} chain). */
    public boolean delegated() {
        return !actors.isEmpty();
    }

    /** True when the token must be presented with a DPoP proof of its key. */
    public boolean dpopBound() {
        return dpopThumbprint != null;
    }

    /**
     * True when the token's scopes cover {@code required} by Mandate's rules: equal, {@code *}, or a wildcard part
     * ({@code crm:*:read} covers {@code crm:contacts:read}). A malformed {@code required} is covered by nothing.
     */
    public boolean allows(String required) {
        Scope wanted;
        try {
            wanted = Scope.parse(required);
        } catch (BadScopeException e) {
            return false;
        }
        for (String held : scopes) {
            try {
                if (Scope.parse(held).covers(wanted)) {
                    return true;
                }
            } catch (BadScopeException ignored) {
                // A scope Mandate would not issue covers nothing.
            }
        }
        return false;
    }

    /** The ones of {@code required} this token does not cover (empty when it covers them all). */
    public List<String> missing(Collection<String> required) {
        return required.stream().filter(scope -> !allows(scope)).toList();
    }

    private static List<String> actors(Object act) {
        List<String> chain = new ArrayList<>();
        Object next = act;
        // RFC 8693 §4.1: the outermost act is the current actor; nested ones acted before it.
        while (next instanceof Map<?, ?> actor && chain.size() < 16) {
            if (actor.get("sub") instanceof String sub) {
                chain.add(sub);
            }
            next = actor.get("act");
        }
        return chain;
    }

    private static String string(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String value ? value : null;
    }

    @Override
    public String toString() {
        return "MandateToken[sub=" + subject + ", tenant=" + tenantId + ", agent=" + agentId + ", scopes=" + scopes
                + (actors.isEmpty() ? "" : ", act=" + actors) + ", expires=" + expiresAt + "]";
    }
}
