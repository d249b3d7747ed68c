package io.mandate.token.grant;

import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.ResourceProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.service.ProjectionCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a token may carry: scopes within what is held (with what the tenant's catalogue says each
 * implies); whom it is for is {@link Targets}' question.
 */
@ApplicationScoped
public class TokenPolicy {

    private final TokenConfig config;
    private final ProjectionCache cache;

    TokenPolicy(TokenConfig config, ProjectionCache cache) {
        this.config = config;
        this.cache = cache;
    }

    /** The tenant's scope catalogue: from memory, else read (blocking). */
    public ScopeCatalogue catalogue(String tenantId) {
        return cache.catalogue(tenantId);
    }

    /** The tenant's scope catalogue if this replica has it in memory (never blocks). */
    public Optional<ScopeCatalogue> cachedCatalogue(String tenantId) {
        return cache.cachedCatalogue(tenantId);
    }

    /**
     * The requested subset of {@code held}, or all of {@code held} when nothing is requested. Asking for
     * a scope the catalogue does not know, or one {@code held} does not cover, is {@code invalid_scope}
     * (RFC 6749 has one error for both; the description tells them apart).
     */
    public static List<String> scopes(ScopeCatalogue catalogue, String requested, List<String> held) {
        return scopes(catalogue, requested, held, Optional.empty());
    }

    /**
     * The same for a token aimed at {@code resource}: only the scopes it lists exist, and when none is
     * requested the token gets those of them that {@code held} covers.
     */
    public static List<String> scopes(ScopeCatalogue catalogue, String requested, List<String> held,
            Optional<ResourceProjection> resource) {
        if (requested == null) {
            return resource.map(r -> defaultFor(catalogue, held, r)).orElse(held);
        }
        List<String> wanted = new ArrayList<>();
        for (String scope : new LinkedHashSet<>(Arrays.asList(requested.split(" ")))) {
            if (scope.isEmpty()) {
                continue;
            }
            try {
                wanted.add(Scope.parse(scope).value());
            } catch (BadScopeException e) {
                throw OAuthException.invalidScope(e.getMessage());
            }
        }
        List<String> unknown = resource.map(r -> understood(r).unknown(wanted)).orElseGet(() -> catalogue.unknown(wanted));
        if (!unknown.isEmpty()) {
            throw OAuthException.invalidScope(resource.map(r -> "unknown scope for " + r.uri + ": ").orElse("unknown scope: ")
                    + String.join(" ", unknown));
        }
        List<String> uncovered = catalogue.uncovered(held, wanted);
        if (!uncovered.isEmpty()) {
            throw OAuthException.invalidScope("not held: " + String.join(" ", uncovered));
        }
        return List.copyOf(wanted);
    }

    private static List<String> defaultFor(ScopeCatalogue catalogue, List<String> held, ResourceProjection resource) {
        List<String> covered = catalogue.covered(held, resource.scopes);
        if (covered.isEmpty()) {
            throw OAuthException.invalidScope("holds none of the scopes of " + resource.uri);
        }
        return covered;
    }

    /** The scopes {@code resource} lists, and only those: what exists for a token aimed at it. */
    public static ScopeCatalogue understood(ResourceProjection resource) {
        Map<String, List<String>> listed = new LinkedHashMap<>();
        resource.scopes.forEach(scope -> listed.put(scope, List.of()));
        return ScopeCatalogue.of(listed);
    }

    /** The members of {@code scopes} that {@code held} still covers (an agent may have lost permissions). */
    public static List<String> stillHeld(ScopeCatalogue catalogue, List<String> scopes, List<String> held) {
        return catalogue.covered(held, scopes);
    }

    /** RFC 6749 §4.4.3 says no refresh token for client_credentials; a tenant may switch it on. */
    public boolean refreshTokensForClientCredentials(String tenantId) {
        return config.tenant(tenantId, TokenConfig.Tenant::clientCredentialsRefreshTokens).orElse(false);
    }

    /** Whether tokens of the tenant wait for Kafka to acknowledge their {@code agent.verified} (default: yes). */
    public boolean verifiedEventAcknowledged(String tenantId) {
        return config.tenant(tenantId, TokenConfig.Tenant::verifiedEventAcknowledged).orElse(true);
    }

}
